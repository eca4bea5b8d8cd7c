import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { lifecycleGrantStatement } from "../../lib/oci/service-grants";

export interface OciServiceGrantsArgs {
  /** Root compartment: an IAM policy there may name any compartment of the tenancy. */
  tenancyOcid: pulumi.Input<string>;
  /** The compartment that holds the homelab's buckets (or the tenancy). */
  compartmentId: string;
  region: string;
}

/**
 * IAM policies for OCI's own services: Object Storage may delete expired objects in the homelab's
 * buckets, which every ObjectLifecyclePolicy needs before OCI accepts it. Resources with lifecycle
 * rules depend on `lifecycleGrant`.
 */
export class OciServiceGrants extends pulumi.ComponentResource {
  readonly lifecycleGrant: oci.identity.Policy;

  constructor(name: string, args: OciServiceGrantsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:oci:ServiceGrants", name, {}, opts);
    this.lifecycleGrant = new oci.identity.Policy(`${name}-objectstorage-lifecycle`, {
      compartmentId: args.tenancyOcid,
      name: `${name}-objectstorage-lifecycle`,
      description: "Object Storage may delete expired objects in the homelab buckets (lifecycle rules)",
      statements: [lifecycleGrantStatement(args.region, args.compartmentId)],
    }, { parent: this });
    this.registerOutputs({});
  }
}
