/**
 * Permissions OCI services need to act on the homelab's resources on its behalf. Object Lifecycle
 * Management "will not work if you do not authorize the Object Storage service to archive and
 * delete objects on your behalf" (Oracle docs, Using Object Lifecycle Management → Required IAM
 * Policy); the statement names the regional service principal `objectstorage-<region>` and a
 * location: `tenancy`, or `compartment id <ocid>` (Oracle docs, Policy Syntax → Locations).
 */

/** Where a policy statement applies: the tenancy itself, or one compartment by OCID. */
export function policyLocation(compartmentId: string): string {
  return compartmentId.startsWith("ocid1.tenancy.") ? "tenancy" : `compartment id ${compartmentId}`;
}

/** The statement that lets Object Storage delete expired objects in the compartment (lifecycle rules). */
export function lifecycleGrantStatement(region: string, compartmentId: string): string {
  return `Allow service objectstorage-${region} to manage object-family in ${policyLocation(compartmentId)}`;
}

/** Whether a policy statement grants the lifecycle rules of `compartmentId` in `region` what they need. */
export function grantsLifecycle(statement: string, region: string, compartmentId: string): boolean {
  const location = policyLocation(compartmentId).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^allow service objectstorage-${region} to manage object-family in (tenancy|${location})( where .*)?$`, "i").test(statement.trim());
}

/** A planned resource as the check reads it (type, URN, inputs, direct dependencies). */
export interface GrantCheckResource {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  dependencies: readonly string[];
}

/** Every Object Storage lifecycle policy depends on an IAM policy that lets Object Storage apply it. */
export function lifecycleGrantProblems(resources: readonly GrantCheckResource[], region: string, compartmentId: string): string[] {
  const grants = resources.filter(
    (r) => r.type === "oci:Identity/policy:Policy" && ((r.inputs.statements as string[] | undefined) ?? []).some((s) => grantsLifecycle(s, region, compartmentId)),
  );
  return resources
    .filter((r) => r.type === "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy")
    .filter((r) => !grants.some((g) => r.dependencies.includes(g.urn)))
    .map((r) => `${r.name}: OCI refuses lifecycle rules until Object Storage may manage the objects; it depends on no policy "${lifecycleGrantStatement(region, compartmentId)}"`);
}
