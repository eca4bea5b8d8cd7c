/**
 * Oracle Cloud's Always Free allowance (NFR-011, NFR-012), in one place: the config schema
 * bounds single values with it and the `always-free` policy sums the totals against it.
 */
export const alwaysFreeLimits = {
  a1Shape: "VM.Standard.A1.Flex",
  microShape: "VM.Standard.E2.1.Micro",
  /** Ampere A1 totals across all instances. */
  a1Ocpus: 4,
  a1MemoryGb: 24,
  microInstances: 2,
  /** Boot and block volumes together. */
  blockStorageGb: 200,
  /** OCI's smallest (and default) boot volume. */
  defaultBootVolumeGb: 47,
  vcns: 2,
  objectStorageGb: 20,
  flexibleLoadBalancerMaxMbps: 10,
} as const;
