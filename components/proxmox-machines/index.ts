import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import type { VmSize } from "../../lib/config";

/** One VM on the Proxmox host. */
export interface MachineSpec {
  /** VM name, also the Talos hostname. */
  name: string;
  /** Proxmox VMID: fixed so that backups and firewall rules keep pointing at the same VM. */
  vmId: number;
  kind: "talos" | "gaming";
  size: VmSize;
  /** Tags shown in Proxmox (story 1.2.1: talos, kubernetes, dev|prod). */
  tags: readonly string[];
  /** GPU PCI address for passthrough (gaming VM only). */
  gpuPciId?: string;
}

export interface ProxmoxHostFacts {
  nodeName: string;
  datastore: string;
  bridge: string;
}

export interface ProxmoxMachinesArgs {
  host: ProxmoxHostFacts;
  machines: readonly MachineSpec[];
  /** Talos ISO (Image Factory) on the host, `<datastore>:iso/<file>`; attached to Talos VMs. */
  talosIsoFileId?: pulumi.Input<string>;
  /** Text shown in the Proxmox notes of every VM. */
  description: pulumi.Input<string>;
}

/** A locally administered MAC derived from the VM name: stable across re-creation (DHCP leases). */
export function stableMac(name: string): string {
  const digest = createHash("sha256").update(name).digest();
  const bytes = [0x02, digest[0]!, digest[1]!, digest[2]!, digest[3]!, digest[4]!];
  return bytes.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/** The Proxmox arguments of one VM: pure, so the tests read them without a provider. */
export function machineArgs(spec: MachineSpec, host: ProxmoxHostFacts, talosIsoFileId?: pulumi.Input<string>): proxmox.VmLegacyArgs {
  const common: proxmox.VmLegacyArgs = {
    nodeName: host.nodeName,
    name: spec.name,
    vmId: spec.vmId,
    tags: [...spec.tags],
    cpu: { cores: spec.size.cores, sockets: 1, type: "host" },
    memory: { dedicated: spec.size.memoryGb * 1024 },
    networkDevices: [{ bridge: host.bridge, model: "virtio", macAddress: stableMac(spec.name) }],
    agent: { enabled: true, trim: true },
    scsiHardware: "virtio-scsi-single",
    disks: [{ datastoreId: host.datastore, interface: "scsi0", size: spec.size.diskGb, discard: "on", ssd: true, iothread: true, fileFormat: "raw" }],
    stopOnDestroy: true,
  };
  if (spec.kind === "talos") {
    return {
      ...common,
      operatingSystem: { type: "l26" },
      bios: "seabios",
      machine: "q35",
      started: true,
      onBoot: true,
      ...(talosIsoFileId ? { cdrom: { fileId: talosIsoFileId, interface: "ide2" } } : {}),
      bootOrders: ["scsi0", "ide2"],
    };
  }
  if (!spec.gpuPciId) throw new Error(`machine "${spec.name}": a gaming VM needs the GPU PCI address (homelab:gaming.gpuPciId)`);
  return {
    ...common,
    operatingSystem: { type: "win11" },
    bios: "ovmf",
    machine: "q35",
    efiDisk: { datastoreId: host.datastore, type: "4m", preEnrolledKeys: true },
    tpmState: { datastoreId: host.datastore, version: "v2.0" },
    hostpcis: [{ device: "hostpci0", id: spec.gpuPciId, pcie: true, xvga: true, rombar: true }],
    // On demand (story 6.1.3): off by default and never started with the host.
    started: false,
    onBoot: false,
    vga: { type: "none" },
  };
}

/** The VMs of one home stack on the Proxmox host. */
export class ProxmoxMachines extends pulumi.ComponentResource {
  readonly vmIds: Record<string, pulumi.Output<number>> = {};

  constructor(name: string, args: ProxmoxMachinesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:proxmox:Machines", name, {}, opts);
    for (const spec of args.machines) {
      const vm = new proxmox.VmLegacy(spec.name, { ...machineArgs(spec, args.host, args.talosIsoFileId), description: args.description }, {
        parent: this,
        // Talos upgrades happen through Omni, never by swapping the ISO under a running VM.
        ignoreChanges: ["cdrom"],
      });
      this.vmIds[spec.name] = vm.vmId.apply((id) => id ?? spec.vmId);
    }
    this.registerOutputs({ vmIds: this.vmIds });
  }
}
