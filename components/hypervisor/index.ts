import { createHash } from "node:crypto";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { hostScripts, type HostScriptName, type HypervisorSettings } from "../../lib/hypervisor/scripts";

export interface HypervisorArgs {
  /** Proxmox node name (Datacenter → node). */
  nodeName: string;
  /** SSH to the host: address, user (root: the host scripts change kernel and storage settings) and key (secret). */
  ssh: { host: string; user: string; privateKey: pulumi.Input<string> };
  settings: HypervisorSettings;
  /** The GPU for the gaming VM: its PCI address (all functions) and first vendor:device id. */
  gpu: { pciAddress: string; deviceId: string };
  /** USB devices to pass to a VM (homelab:usbDevices): vendor:product ids, by the app that uses each. */
  usbDevices?: readonly { app: string; id: string }[];
}

/** Scripts that must run after another (the exports need the pool's datasets, the tuning its scrub timer). */
const after: Partial<Record<HostScriptName, HostScriptName>> = { "zfs-tuning": "zfs-pool", "nfs-exports": "zfs-pool", sanoid: "zfs-pool" };

/**
 * The Proxmox host as code (epic 1.1): ZFS pool and datasets, ARC limit, weekly scrub, ZED
 * e-mails, GPU passthrough, NFS exports of the media library, and the program's least-privilege
 * role and user. Each concern is one idempotent script run over SSH; it runs again only when
 * its rendered text changes, and a second run changes nothing (tested on a fake root).
 */
export class Hypervisor extends pulumi.ComponentResource {
  /** sha256 of each rendered script: a change here is what makes a script run again. */
  readonly scriptDigests: Record<HostScriptName, string>;
  /** Proxmox resource mapping of the GPU, for the gaming VM (no root-only raw PCI ids). */
  readonly gpuMapping: pulumi.Output<string>;
  /** Proxmox resource mappings of the USB devices, in homelab:usbDevices order. */
  readonly usbMappings: pulumi.Output<string>[];

  constructor(name: string, args: HypervisorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:proxmox:Hypervisor", name, {}, opts);
    const scripts = hostScripts(args.settings);
    const connection = { host: args.ssh.host, user: args.ssh.user, privateKey: args.ssh.privateKey };
    const digests = {} as Record<HostScriptName, string>;
    const commands = {} as Record<HostScriptName, command.remote.Command>;
    for (const [script, text] of Object.entries(scripts) as [HostScriptName, string][]) {
      digests[script] = createHash("sha256").update(text).digest("hex");
      const dependency = after[script];
      commands[script] = new command.remote.Command(`${name}-${script}`, {
        connection,
        create: "bash -s",
        update: "bash -s",
        stdin: text,
        triggers: [digests[script]],
      }, { parent: this, dependsOn: dependency ? [commands[dependency]!] : [] });
    }
    this.scriptDigests = digests;

    const mapping = new proxmox.hardware.mapping.Pci(`${name}-gpu`, {
      name: "gaming-gpu",
      comment: "GPU of the on-demand gaming VM (managed by the homelab program)",
      maps: [{ node: args.nodeName, path: args.gpu.pciAddress, id: args.gpu.deviceId }],
    }, { parent: this, dependsOn: [commands["gpu-passthrough"]] });
    this.gpuMapping = mapping.name;

    this.usbMappings = (args.usbDevices ?? []).map((device, i) =>
      new proxmox.hardware.mapping.Usb(`${name}-usb-${device.app}-${i}`, {
        name: `${device.app}-usb-${i}`,
        comment: `USB device ${device.id} for ${device.app} (managed by the homelab program)`,
        // By vendor:product only (no path): the stick may move to another port.
        maps: [{ node: args.nodeName, id: device.id }],
      }, { parent: this }).name as pulumi.Output<string>,
    );

    this.registerOutputs({ scriptDigests: this.scriptDigests, gpuMapping: this.gpuMapping, usbMappings: this.usbMappings });
  }
}
