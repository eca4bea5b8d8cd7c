/**
 * Rules between the two home stacks, which share one Proxmox host and one LAN: checked when both
 * are planned together (CI's `--stack all`), since `pulumi up` of one stack never sees the other.
 */
import { rangeOf, rangesOverlap } from "./net";
import type { DevConfig, ProdConfig } from "./load";

export function crossStackProblems(prod: ProdConfig, dev: DevConfig): string[] {
  const problems: string[] = [];
  for (const field of ["address", "nodeName", "lanCidr"] as const) {
    const a = prod["homelab:proxmox"][field];
    const b = dev["homelab:proxmox"][field];
    if (a !== b) problems.push(`homelab:proxmox.${field} is "${a}" on prod but "${b}" on dev; both stacks run on the one Proxmox host; fix: make them equal`);
  }
  const lans = [prod, dev].map((c) => c["homelab:platform"].lan);
  const [prodLan, devLan] = lans as [(typeof lans)[number], (typeof lans)[number]];
  const prodPool = rangeOf(prodLan.loadBalancerPool);
  const devPool = rangeOf(devLan.loadBalancerPool);
  // Each Gateway and DNS address lies in its own cluster's pool (home-rules.ts), so disjoint pools keep them apart too.
  if (rangesOverlap(prodPool, devPool)) {
    problems.push(
      `homelab:platform.lan.loadBalancerPool: prod's ${prodLan.loadBalancerPool} and dev's ${devLan.loadBalancerPool} overlap; both clusters announce their pools on the same LAN, so one address could answer from two clusters; fix: give each cluster its own block`,
    );
  }
  return problems;
}
