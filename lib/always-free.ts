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
  /** Object Storage on an Always-Free-only tenancy, any tier together. */
  objectStorageGb: 20,
  /** On a paid or trial account only this much Standard tier is free (the backup bucket is Standard). */
  objectStorageStandardPaidGb: 10,
  /** Object Storage API requests a month, in both cases: the tighter limit for backups. */
  objectStorageRequestsPerMonth: 50_000,
  flexibleLoadBalancerMaxMbps: 10,
} as const;
