/** The arguments of an Always Free instance, as pure data (the Talos nodes and the management VM share them). */
import type * as oci from "@pulumi/oci";
import type * as pulumi from "@pulumi/pulumi";
import type { OciInstanceConfig } from "../config";
import { ociTags } from "../markers";

/** What every instance of the cloud stack shares. */
export interface InstancePlacement {
  compartmentId: pulumi.Input<string>;
  availabilityDomain: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
}

/**
 * The arguments of one Always Free instance: shape and size from config, one VNIC in the subnet
 * with an ephemeral public IP for egress (or none when a reserved IP replaces it), IMDSv2 only.
 */
export function instanceArgs(
  spec: OciInstanceConfig,
  placement: InstancePlacement,
  imageId: pulumi.Input<string>,
  metadata: pulumi.Input<Record<string, pulumi.Input<string>>> = {},
  /** Network security groups of the VNIC (the management VM's ingress exceptions); none for the Talos nodes. */
  nsgIds: readonly pulumi.Input<string>[] = [],
): oci.core.InstanceArgs {
  return {
    compartmentId: placement.compartmentId,
    availabilityDomain: placement.availabilityDomain,
    displayName: spec.name,
    shape: spec.shape,
    shapeConfig: { ocpus: spec.ocpus, memoryInGbs: spec.memoryGb },
    sourceDetails: { sourceType: "image", sourceId: imageId, bootVolumeSizeInGbs: String(spec.bootVolumeGb) },
    createVnicDetails: {
      subnetId: placement.subnetId,
      hostnameLabel: spec.name,
      assignPublicIp: spec.reservedPublicIp ? "false" : "true",
      ...(nsgIds.length > 0 ? { nsgIds: [...nsgIds] } : {}),
    },
    // The metadata service answers only IMDSv2 requests (a header no SSRF can add).
    instanceOptions: { areLegacyImdsEndpointsDisabled: true },
    metadata,
    freeformTags: { [ociTags.homelab]: "true", [ociTags.role]: spec.role },
    preserveBootVolume: false,
  };
}

