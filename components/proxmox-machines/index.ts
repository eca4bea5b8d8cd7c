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
  /** Proxmox resource mapping of the GPU (gaming VM only), from the Hypervisor component. */
  gpuMapping?: pulumi.Input<string>;
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

/**
 * The VM's SMBIOS UUID, derived from its name: Talos reports it as the machine id, so Omni's
 * cluster templates can name each VM before it exists (lib/talos/clusters.ts).
 */
export function stableUuid(name: string): string {
  const b = createHash("sha256").update(`homelab machine ${name}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5 layout (name-based)
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
    smbios: { uuid: stableUuid(spec.name) },
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
  if (!spec.gpuMapping) throw new Error(`machine "${spec.name}": a gaming VM needs the GPU's resource mapping (the Hypervisor component creates it from homelab:gaming.gpuPciId)`);
  return {
    ...common,
    operatingSystem: { type: "win11" },
    bios: "ovmf",
    machine: "q35",
    efiDisk: { datastoreId: host.datastore, type: "4m", preEnrolledKeys: true },
    tpmState: { datastoreId: host.datastore, version: "v2.0" },
    // Through a resource mapping: a raw PCI id would need root@pam, the mapping only Mapping.Use.
    hostpcis: [{ device: "hostpci0", mapping: spec.gpuMapping, pcie: true, xvga: true, rombar: true }],
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
