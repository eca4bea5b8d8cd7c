/** always-free: Oracle Cloud stays inside the Always Free allowance (NFR-011, NFR-012). */
import { alwaysFreeLimits } from "../lib/always-free";
import { types } from "./types";
import { get, list, num, str, violationsOf, type HomelabPolicy, type PolicyResourceView } from "./view";

export interface OciTotals {
  a1Ocpus: number;
  a1MemoryGb: number;
  microInstances: number;
  blockStorageGb: number;
  vcns: number;
}

/** Sums what the stack asks of Oracle's Always Free allowance; also printed as the plan's budget. */
export function ociTotals(resources: readonly PolicyResourceView[]): OciTotals {
  const totals: OciTotals = { a1Ocpus: 0, a1MemoryGb: 0, microInstances: 0, blockStorageGb: 0, vcns: 0 };
  for (const r of resources) {
    if (r.type === types.ociInstance) {
      const shape = str(r.props.shape);
      if (shape === alwaysFreeLimits.a1Shape) {
        totals.a1Ocpus += num(get(r.props, "shapeConfig.ocpus"));
        totals.a1MemoryGb += num(get(r.props, "shapeConfig.memoryInGbs"));
      } else if (shape === alwaysFreeLimits.microShape) {
        totals.microInstances += 1;
      }
      const boot = num(get(r.props, "sourceDetails.bootVolumeSizeInGbs"));
      totals.blockStorageGb += boot > 0 ? boot : alwaysFreeLimits.defaultBootVolumeGb;
    } else if (r.type === types.ociVolume) {
      totals.blockStorageGb += num(r.props.sizeInGbs) || 50;
    } else if (r.type === types.ociVcn) {
      totals.vcns += 1;
    }
  }
  return totals;
}

const paidTypes: Record<string, string> = {
  [types.ociDbSystem]: "DB systems are never Always Free; use PostgreSQL in a container",
  [types.ociDedicatedVmHost]: "dedicated VM hosts are paid",
};

export const alwaysFree: HomelabPolicy = {
  name: "always-free",
  description:
    "Oracle Cloud stays in Always Free: A1.Flex ≤ 4 OCPU / 24 GB in total or E2.1.Micro ≤ 2, boot + block volumes ≤ 200 GB, ≤ 2 VCNs, no paid service, every bucket with a lifecycle or retention rule.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    const t = ociTotals(resources);
    for (const r of resources) {
      if (r.type === types.ociInstance) {
        const shape = str(r.props.shape);
        if (shape !== alwaysFreeLimits.a1Shape && shape !== alwaysFreeLimits.microShape) {
          report(r.name, `instance shape "${shape}" is not Always Free; use ${alwaysFreeLimits.a1Shape} (or ${alwaysFreeLimits.microShape})`);
        }
      }
      if (r.type === types.ociLoadBalancer) {
        const shape = str(r.props.shape);
        const max = num(get(r.props, "shapeDetails.maximumBandwidthInMbps"));
        if (shape !== "flexible" || max > alwaysFreeLimits.flexibleLoadBalancerMaxMbps) {
          report(r.name, `load balancer shape "${shape}" (max ${max} Mbps) is paid; only a flexible load balancer at ≤ ${alwaysFreeLimits.flexibleLoadBalancerMaxMbps} Mbps is Always Free`);
        }
      }
      if (r.type === types.ociAutonomousDatabase && r.props.isFreeTier !== true) {
        report(r.name, "autonomous database without isFreeTier=true is paid");
      }
      if (r.type === types.ociOkeCluster && str(r.props.type) === "ENHANCED_CLUSTER") {
        report(r.name, "OKE enhanced clusters are paid; the CLOUD cluster is Talos on A1 instances");
      }
      const paid = paidTypes[r.type];
      if (paid) report(r.name, paid);
      if (r.type === types.ociBucket) {
        const bucketName = str(r.props.name);
        const hasRetention = list(r.props.retentionRules).length > 0;
        const hasLifecycle = resources.some(
          (p) => p.type === types.ociLifecyclePolicy && str(p.props.bucket) === bucketName && list(p.props.rules).some((rule) => get(rule, "isEnabled") !== false),
        );
        if (!hasRetention && !hasLifecycle) {
          report(r.name, `bucket "${bucketName}" has no lifecycle or retention rule; the 20 GB Always Free storage fills up without one`);
        }
      }
    }
    if (t.a1Ocpus > alwaysFreeLimits.a1Ocpus) report("stack", `A1 instances ask for ${t.a1Ocpus} OCPUs in total; Always Free allows ${alwaysFreeLimits.a1Ocpus}`);
    if (t.a1MemoryGb > alwaysFreeLimits.a1MemoryGb) report("stack", `A1 instances ask for ${t.a1MemoryGb} GB in total; Always Free allows ${alwaysFreeLimits.a1MemoryGb} GB`);
    if (t.microInstances > alwaysFreeLimits.microInstances) report("stack", `${t.microInstances} E2.1.Micro instances; Always Free allows ${alwaysFreeLimits.microInstances}`);
    if (t.blockStorageGb > alwaysFreeLimits.blockStorageGb) report("stack", `boot and block volumes total ${t.blockStorageGb} GB; Always Free allows ${alwaysFreeLimits.blockStorageGb} GB`);
    if (t.vcns > alwaysFreeLimits.vcns) report("stack", `${t.vcns} VCNs; Always Free allows ${alwaysFreeLimits.vcns}`);
    return found;
  },
};
