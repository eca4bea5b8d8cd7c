/**
 * How an imported custom image must boot on Ampere A1. A bare QCOW2 import gets BIOS firmware
 * (oracle/oci-cli#336: "importing always as BIOS"; the launch options come from the image
 * capabilities), and A1 is Arm, which boots UEFI only: the Talos Oracle guide's image_metadata.json
 * sets `"firmware": "UEFI_64"` and paravirtualized devices, and siderolabs/docs#595 restricts the
 * `Compute.Firmware` capability to UEFI_64 alone. Values follow OCI's global image capability
 * schema (descriptorType enumstring, source IMAGE).
 */

/** The capability schema data of a Talos image for A1: each value is a JSON string, as the API takes it. */
export function talosA1ImageCapabilities(): Record<string, string> {
  const only = (value: string) => JSON.stringify({ descriptorType: "enumstring", source: "IMAGE", values: [value], defaultValue: value });
  return {
    "Compute.Firmware": only("UEFI_64"),
    "Compute.LaunchMode": only("PARAVIRTUALIZED"),
    "Storage.BootVolumeType": only("PARAVIRTUALIZED"),
    "Network.AttachmentType": only("PARAVIRTUALIZED"),
  };
}

/** The shapes the Talos image declares it runs on. */
export const talosImageShapes = ["VM.Standard.A1.Flex"] as const;

/** Whether a capability schema restricts the firmware to UEFI_64 (required on Arm shapes). */
export function firmwareIsUefiOnly(schemaData: Record<string, string> | undefined): boolean {
  const firmware = schemaData?.["Compute.Firmware"];
  if (!firmware) return false;
  const parsed = JSON.parse(firmware) as { values?: string[]; defaultValue?: string };
  return JSON.stringify(parsed.values) === JSON.stringify(["UEFI_64"]) && parsed.defaultValue === "UEFI_64";
}

/** A planned resource as the check reads it. */
export interface BootCheckResource {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  dependencies: readonly string[];
}

/**
 * Every instance that boots an image imported by the program waits for that image's shape
 * compatibility with the instance's shape and, on Arm, for a capability schema restricting the
 * firmware to UEFI_64.
 */
export function instanceBootProblems(resources: readonly BootCheckResource[]): string[] {
  const problems: string[] = [];
  const imported = resources.filter((r) => r.type === "oci:Core/image:Image");
  if (imported.length === 0) return problems;
  for (const instance of resources.filter((r) => r.type === "oci:Core/instance:Instance" && r.name.startsWith("oci-node-"))) {
    const shape = String(instance.inputs.shape);
    const deps = resources.filter((r) => instance.dependencies.includes(r.urn));
    if (!deps.some((d) => d.type === "oci:Core/shapeManagement:ShapeManagement" && d.inputs.shapeName === shape)) {
      problems.push(`${instance.name}: boots the imported Talos image before the image declares shape ${shape} (ShapeManagement)`);
    }
    if (/\.A\d+\./.test(shape) && !deps.some((d) => d.type === "oci:Core/computeImageCapabilitySchema:ComputeImageCapabilitySchema" && firmwareIsUefiOnly(d.inputs.schemaData as Record<string, string>))) {
      problems.push(`${instance.name}: ${shape} is Arm and boots UEFI only, but it waits for no capability schema that sets Compute.Firmware to UEFI_64 (a QCOW2 import defaults to BIOS)`);
    }
  }
  return problems;
}
