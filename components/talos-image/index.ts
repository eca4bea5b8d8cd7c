import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { talosA1ImageCapabilities, talosImageShapes } from "../../lib/oci/image-capabilities";
import { factoryImageUrl, registerScript, schematicFor, schematicId, schematicYaml, type ImageRole } from "../../lib/talos/schematic";

/** Where the image goes: the Proxmox host's ISO store, or an OCI custom image for the A1 nodes. */
export type ImageTarget =
  | { kind: "proxmox"; nodeName: string; /** Proxmox storage holding ISOs (usually `local`). */ isoDatastore: string }
  | {
      kind: "oci";
      compartmentId: pulumi.Input<string>;
      namespace: pulumi.Input<string>;
      /** The staging bucket's name (lib/oci/buckets.ts). */
      stagingBucket: string;
      /** The IAM policy that lets Object Storage apply the staging bucket's expiry (OciServiceGrants). */
      lifecycleGrant: pulumi.Resource;
    };

export interface TalosImageArgs {
  role: ImageRole;
  talosVersion: string;
  /** SideroLink kernel arguments from the cloud stack (secret: they carry the join token). */
  siderolinkKernelArgs: pulumi.Input<string>;
  target: ImageTarget;
}

/**
 * A Talos image from the Image Factory for one role (Proxmox: qemu-guest-agent, plus iSCSI and
 * util-linux tools where Longhorn runs; Oracle: none), joining Omni through the SideroLink
 * kernel arguments. The schematic ID is computed locally (lib/talos/schematic.ts) and the
 * factory must agree before anything is downloaded.
 */
export class TalosImage extends pulumi.ComponentResource {
  readonly schematicId: pulumi.Output<string>;
  /** Proxmox: `<datastore>:iso/<file>` for the VMs' CD-ROM. OCI: the custom image OCID. */
  readonly imageId: pulumi.Output<string>;
  /** OCI: what must exist before an instance boots the image (shape compatibility, UEFI capabilities). */
  readonly bootable: pulumi.Resource[] = [];

  constructor(name: string, args: TalosImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:talos:Image", name, {}, opts);
    const schematic = pulumi.output(args.siderolinkKernelArgs).apply((kernelArgs) => schematicFor(args.role, kernelArgs));
    // The ID is a hash: it reveals nothing of the join token it covers.
    this.schematicId = pulumi.unsecret(schematic.apply(schematicId));

    const register = new command.local.Command(`${name}-schematic`, {
      create: this.schematicId.apply(registerScript),
      stdin: pulumi.secret(schematic.apply(schematicYaml)),
      triggers: [this.schematicId],
    }, { parent: this });

    if (args.target.kind === "proxmox") {
      const target = args.target;
      const iso = new proxmox.download.File(`${name}-iso`, {
        nodeName: target.nodeName,
        datastoreId: target.isoDatastore,
        contentType: "iso",
        url: this.schematicId.apply((id) => factoryImageUrl(id, args.talosVersion, "nocloud-amd64.iso")),
        fileName: this.schematicId.apply((id) => `talos-${args.talosVersion}-${id.slice(0, 12)}-nocloud-amd64.iso`),
        overwrite: false,
      }, { parent: this, dependsOn: [register] });
      this.imageId = iso.id;
    } else {
      const target = args.target;
      // A staging bucket: the object is needed only while OCI imports it, so it expires after a day.
      const bucket = new oci.objectstorage.Bucket(`${name}-staging`, {
        compartmentId: target.compartmentId,
        namespace: target.namespace,
        name: target.stagingBucket,
        accessType: "NoPublicAccess",
      }, { parent: this });
      new oci.objectstorage.ObjectLifecyclePolicy(`${name}-staging-expiry`, {
        namespace: target.namespace,
        bucket: bucket.name,
        rules: [{ name: "expire-imported-images", action: "DELETE", isEnabled: true, timeAmount: "1", timeUnit: "DAYS", target: "objects" }],
      }, { parent: this, dependsOn: [target.lifecycleGrant] });
      const objectName = this.schematicId.apply((id) => `talos/${args.talosVersion}-${id.slice(0, 12)}-oracle-arm64.qcow2`);
      // A write-only link to that one object, so the upload needs no OCI CLI on the runner.
      const upload = new oci.objectstorage.Preauthrequest(`${name}-upload-link`, {
        namespace: target.namespace,
        bucket: bucket.name,
        name: pulumi.interpolate`${name}-upload`,
        accessType: "ObjectWrite",
        objectName,
        timeExpires: "2030-01-01T00:00:00Z",
      }, { parent: this });
      const uploadUrl = pulumi.secret(upload.fullPath);
      const copy = new command.local.Command(`${name}-upload`, {
        create: pulumi.interpolate`set -eu
curl --fail --silent --show-error --location --retry 3 "${this.schematicId.apply((id) => factoryImageUrl(id, args.talosVersion, "oracle-arm64.qcow2.xz"))}" | xz --decompress --stdout | curl --fail --silent --show-error --retry 3 -X PUT --upload-file - "$UPLOAD_URL"`,
        environment: { UPLOAD_URL: uploadUrl },
        triggers: [this.schematicId],
      }, { parent: this, dependsOn: [register] });
      // Imports take 10–30 minutes.
      const image = new oci.core.Image(`${name}-image`, {
        compartmentId: target.compartmentId,
        displayName: this.schematicId.apply((id) => `talos-${args.talosVersion}-${id.slice(0, 12)}`),
        launchMode: "PARAVIRTUALIZED",
        imageSourceDetails: {
          sourceType: "objectStorageTuple",
          namespaceName: target.namespace,
          bucketName: bucket.name,
          objectName,
          sourceImageType: "QCOW2",
          operatingSystem: "Talos",
          operatingSystemVersion: args.talosVersion,
        },
      }, { parent: this, dependsOn: [copy], customTimeouts: { create: "60m" } });
      // Custom images declare the shapes they run on; the A1 nodes need A1.Flex.
      const shapes = talosImageShapes.map((shapeName) => new oci.core.ShapeManagement(`${name}-${shapeName.split(".")[2]!.toLowerCase()}-shape`, {
        compartmentId: target.compartmentId,
        imageId: image.id,
        shapeName,
      }, { parent: this }));
      // A1 boots UEFI only; a QCOW2 import defaults to BIOS (lib/oci/image-capabilities.ts).
      const globalSchema = oci.core.getComputeGlobalImageCapabilitySchemasOutput({}, { parent: this }).computeGlobalImageCapabilitySchemas.apply((schemas) => {
        if (schemas.length === 0) throw new Error("OCI returned no global image capability schema; the Talos image's UEFI firmware cannot be set");
        return schemas[0]!;
      });
      const capabilities = new oci.core.ComputeImageCapabilitySchema(`${name}-capabilities`, {
        compartmentId: target.compartmentId,
        imageId: image.id,
        computeGlobalImageCapabilitySchemaVersionName: globalSchema.currentVersionName,
        schemaData: talosA1ImageCapabilities(),
      }, { parent: this });
      // Instances launch from this id only once the image runs on A1 and boots UEFI.
      this.bootable = [image, ...shapes, capabilities];
      this.imageId = pulumi.all([image.id, ...shapes.map((s) => s.id), capabilities.id]).apply(([id]) => id!);
    }
    this.registerOutputs({ schematicId: this.schematicId, imageId: this.imageId });
  }
}
