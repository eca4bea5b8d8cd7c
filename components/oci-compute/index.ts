import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import type { OciInstanceConfig } from "../../lib/config";
import { instanceArgs, type InstancePlacement } from "../../lib/oci/instance";

export interface OciComputeArgs extends InstancePlacement {
  /** The Talos instances to run, from `homelab:oci.instances` (role `talos`). */
  instances: readonly OciInstanceConfig[];
  /** Image for the Talos nodes (the Talos arm64 image imported for Oracle). */
  talosImageId?: pulumi.Input<string>;
  /** What must exist before an instance boots the image (its A1 shape compatibility and UEFI capabilities). */
  talosImageReady?: readonly pulumi.Resource[];
}

/**
 * The CLOUD cluster's Talos nodes on Always Free A1. Each sits in the one subnet with an
 * ephemeral or reserved public IP used for egress only (the security list admits no internet
 * ingress). The management VM is its own component (components/management-vm).
 */
export class OciCompute extends pulumi.ComponentResource {
  /** Private IPs by instance name. */
  readonly privateIps: Record<string, pulumi.Output<string>> = {};
  /** Reserved public IPs by instance name (stable egress, e.g. for Comet/Real-Debrid). */
  readonly reservedIps: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: OciComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:oci:Compute", name, {}, opts);
    for (const spec of args.instances) {
      if (spec.role !== "talos") throw new Error(`homelab:oci.instances "${spec.name}": OciCompute runs Talos nodes only; the management VM is ManagementVm`);
      if (args.talosImageId === undefined) {
        throw new Error(`homelab:oci.instances "${spec.name}": role "talos" needs homelab:oci.talosImageId (the imported Talos arm64 image)`);
      }
      const instance = new oci.core.Instance(spec.name, instanceArgs(spec, args, args.talosImageId), {
        parent: this,
        dependsOn: [...(args.talosImageReady ?? [])],
        // Talos upgrades go through Omni, never by re-imaging the instance.
        ignoreChanges: ["sourceDetails.sourceId"],
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
