import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import type { OciInstanceConfig } from "../../lib/config";

export interface OciComputeArgs {
  compartmentId: pulumi.Input<string>;
  availabilityDomain: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  /** The instances to run, from `homelab:oci.instances`. */
  instances: readonly OciInstanceConfig[];
  /** Image for the management VM (Ubuntu, from the OCI image data source). */
  mgmtImageId: pulumi.Input<string>;
  /** Image for the Talos nodes (the Talos arm64 image imported for Oracle). */
  talosImageId?: pulumi.Input<string>;
  /** Admin SSH public key for the management VM (key-based only). */
  sshPublicKey: string;
  /** cloud-init user-data for the management VM, base64; a secret when it carries secrets. */
  mgmtUserData?: pulumi.Input<string>;
}

/**
 * The Always Free A1 instances of the cloud stack. Each sits in the one subnet with an ephemeral
 * or reserved public IP used for egress only (the security list admits no internet ingress).
 */
export class OciCompute extends pulumi.ComponentResource {
  /** Private IPs by instance name. */
  readonly privateIps: Record<string, pulumi.Output<string>> = {};
  /** Reserved public IPs by instance name (stable egress, e.g. for Comet/Real-Debrid). */
  readonly reservedIps: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: OciComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:oci:Compute", name, {}, opts);
    for (const spec of args.instances) {
      const imageId = spec.role === "mgmt" ? args.mgmtImageId : args.talosImageId;
      if (imageId === undefined) {
        throw new Error(`homelab:oci.instances "${spec.name}": role "talos" needs homelab:oci.talosImageId (the imported Talos arm64 image)`);
      }
      const instance = new oci.core.Instance(spec.name, {
        compartmentId: args.compartmentId,
        availabilityDomain: args.availabilityDomain,
        displayName: spec.name,
        shape: spec.shape,
        shapeConfig: { ocpus: spec.ocpus, memoryInGbs: spec.memoryGb },
        sourceDetails: { sourceType: "image", sourceId: imageId, bootVolumeSizeInGbs: String(spec.bootVolumeGb) },
        createVnicDetails: {
          subnetId: args.subnetId,
          hostnameLabel: spec.name,
          // A reserved IP replaces the ephemeral one below.
          assignPublicIp: spec.reservedPublicIp ? "false" : "true",
        },
        metadata:
          spec.role === "mgmt"
            ? { ssh_authorized_keys: args.sshPublicKey, ...(args.mgmtUserData ? { user_data: args.mgmtUserData } : {}) }
            : {},
        freeformTags: { homelab: "true", role: spec.role },
        preserveBootVolume: false,
      }, {
        parent: this,
        // cloud-init runs once; later changes are applied in place by the management VM's
        // own update path, never by replacing the instance (its data lives on the boot volume).
        ignoreChanges: ["metadata.user_data", "sourceDetails.sourceId"],
      });
      this.privateIps[spec.name] = instance.privateIp;
      if (spec.reservedPublicIp) {
        const vnic = oci.core.getVnicAttachmentsOutput({ compartmentId: args.compartmentId, instanceId: instance.id }, { parent: this });
        const privateIp = oci.core.getPrivateIpsOutput({ vnicId: vnic.vnicAttachments.apply((a) => a[0]?.vnicId ?? "") }, { parent: this });
        const reserved = new oci.core.PublicIp(`${spec.name}-reserved-ip`, {
          compartmentId: args.compartmentId,
          lifetime: "RESERVED",
          displayName: `${spec.name}-egress`,
          privateIpId: privateIp.privateIps.apply((ips) => ips[0]?.id ?? ""),
        }, { parent: this });
        this.reservedIps[spec.name] = reserved.ipAddress;
      }
    }
    this.registerOutputs({ privateIps: this.privateIps, reservedIps: this.reservedIps });
  }
}
