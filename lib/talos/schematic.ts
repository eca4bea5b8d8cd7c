/**
 * Talos Image Factory schematics: what goes into a Talos image (system extensions, kernel
 * arguments), and the schematic ID the factory serves it under.
 *
 * The ID is hex(sha256(the schematic as the factory marshals it)): Go's gopkg.in/yaml.v3 with
 * the struct field order of siderolabs/image-factory pkg/schematic (overlay, customization;
 * extraKernelArgs, meta, systemExtensions, secureboot), empty fields omitted, 4-space indent,
 * list order kept. Test vectors: the empty schematic `customization: {}` is
 * 376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba (the factory's default).
 */
import { createHash } from "node:crypto";

export interface Schematic {
  customization: {
    extraKernelArgs?: readonly string[];
    systemExtensions?: { officialExtensions?: readonly string[] };
  };
}

export const imageFactory = "https://factory.talos.dev";

/** Values yaml.v3 would read back as another type, and so would quote. */
const resolvesToOtherType = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*)?\.?\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i;
/** Scalars yaml.v3 writes plain in block context (a conservative subset of its rules). */
const plainSafe = /^[A-Za-z0-9][A-Za-z0-9._/=:?&[\]@+,~%-]*$/;

function scalar(value: string, where: string): string {
  if (!plainSafe.test(value) || resolvesToOtherType.test(value) || /:$/.test(value)) {
    // A value yaml.v3 would quote: rather than guess its quoting (and compute a wrong ID), refuse.
    throw new Error(`schematic ${where}: "${value}" needs YAML quoting, which this encoder does not reproduce; use letters, digits and ._/=:?&[]@+,~%-`);
  }
  return value;
}

function list(items: readonly string[], indent: number, where: string): string[] {
  return items.map((item, i) => `${" ".repeat(indent)}- ${scalar(item, `${where}[${i}]`)}`);
}

/** The schematic exactly as the factory marshals it. */
export function schematicYaml(schematic: Schematic): string {
  const { extraKernelArgs = [], systemExtensions } = schematic.customization;
  const extensions = systemExtensions?.officialExtensions ?? [];
  const lines: string[] = [];
  if (extraKernelArgs.length > 0) lines.push("    extraKernelArgs:", ...list(extraKernelArgs, 8, "extraKernelArgs"));
  if (extensions.length > 0) lines.push("    systemExtensions:", "        officialExtensions:", ...list(extensions, 12, "officialExtensions"));
  return lines.length === 0 ? "customization: {}\n" : `customization:\n${lines.join("\n")}\n`;
}

export function schematicId(schematic: Schematic): string {
  return createHash("sha256").update(schematicYaml(schematic)).digest("hex");
}

/** What each kind of machine needs in its image. */
export type ImageRole = "proxmox" | "proxmox-longhorn" | "oracle";

/** Official extensions by role: the guest agent on Proxmox, Longhorn's iSCSI and util-linux tools where it runs. */
export const extensionsByRole: Record<ImageRole, readonly string[]> = {
  proxmox: ["siderolabs/qemu-guest-agent"],
  "proxmox-longhorn": ["siderolabs/iscsi-tools", "siderolabs/qemu-guest-agent", "siderolabs/util-linux-tools"],
  // Oracle's A1 nodes carry Longhorn-free workloads; the OCI agent is not a Talos extension.
  oracle: [],
};

/** The schematic of a role, joining Omni through the SideroLink kernel arguments. */
export function schematicFor(role: ImageRole, siderolinkKernelArgs: string): Schematic {
  const extensions = [...extensionsByRole[role]].sort();
  return {
    customization: {
      extraKernelArgs: siderolinkKernelArgs.split(" ").filter((a) => a !== ""),
      ...(extensions.length > 0 ? { systemExtensions: { officialExtensions: extensions } } : {}),
    },
  };
}

export type FactoryArtifact = "nocloud-amd64.iso" | "metal-amd64.iso" | "oracle-arm64.qcow2.xz";

export function factoryImageUrl(id: string, talosVersion: string, artifact: FactoryArtifact): string {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`schematic id "${id}" is not 64 hex characters`);
  return `${imageFactory}/image/${id}/${talosVersion}/${artifact}`;
}

/** Registers a schematic with the Image Factory and fails unless the factory answers with the locally computed ID. */
export function registerScript(expectedId: string): string {
  return [
    "set -eu",
    `answer="$(curl --fail --silent --show-error --retry 3 -X POST --data-binary @- ${imageFactory}/schematics)"`,
    `case "$answer" in *'"id":"${expectedId}"'*) ;; *) echo "image factory answered $answer, expected schematic ${expectedId}" >&2; exit 1 ;; esac`,
  ].join("\n");
}
