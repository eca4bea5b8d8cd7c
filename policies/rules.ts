/**
 * The homelab policies, as plain functions over a list of resources, one file each. The
 * CrossGuard pack (`policies/index.ts`) and the offline plan (`tooling/plan`) both call these, so
 * a rule is written once and proven by the tests in `tests/policies.*.spec.ts`.
 *
 * Every policy is a stack policy: the Always Free limits are totals, and the tier and tunnel
 * checks relate several resources to each other.
 */
import { adminGroupRestriction } from "./admin-group-restriction";
import { alwaysFree } from "./always-free";
import { noPlaintextSecrets } from "./no-plaintext-secrets";
import { noPublicIngress } from "./no-public-ingress";
import { syncWaves } from "./sync-waves";
import type { HomelabPolicy, PolicyContext, PolicyResourceView, Violation } from "./view";

export const policies: readonly HomelabPolicy[] = [alwaysFree, noPublicIngress, adminGroupRestriction, syncWaves, noPlaintextSecrets];

/** Runs every policy over the resources; the offline plan and the tests call this. */
export function evaluatePolicies(resources: readonly PolicyResourceView[], context: PolicyContext, only: readonly HomelabPolicy[] = policies): Violation[] {
  return only.flatMap((policy) => policy.check(resources, context));
}

export { adminGroupRestriction, alwaysFree, noPlaintextSecrets, noPublicIngress, syncWaves };
export { ociTotals, type OciTotals } from "./always-free";
export type { EnforcementLevel, HomelabPolicy, PolicyContext, PolicyResourceView, Violation } from "./view";
