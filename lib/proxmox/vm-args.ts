/**
 * The Proxmox arguments of one VM, as pure data: Talos nodes (q35, SeaBIOS, the Talos ISO) and
 * the on-demand gaming VM (OVMF, TPM, the GPU through a resource mapping). Stable MACs and SMBIOS
 * UUIDs are derived from the VM name, so DHCP leases and Omni machine ids survive re-creation.
 */
import type * as proxmox from "@muhlba91/pulumi-proxmoxve";
import type { Input } from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** One VM on the Proxmox host. */
export interface MachineSpec {
  /** VM name, also the Talos hostname. */
  name: string;
  vmId: number;
  kind: "talos" | "gaming" | "runner";
  size: { cores: number; memoryGb: number; diskGb: number };
  /** Tags shown in Proxmox (story 1.2.1: talos, kubernetes, dev|prod). */
  tags: readonly string[];
  /** Proxmox resource mapping of the GPU (gaming VM only), from the Hypervisor component. */
  gpuMapping?: Input<string>;
  /** Runner VM: its disk image (`<datastore>:iso/<file>.img`) and cloud-init user data (`<datastore>:snippets/<file>`). */
  cloudImage?: { fileId: Input<string>; userDataFileId: Input<string> };
  /** Proxmox resource mappings of USB devices passed to this VM (a Zigbee stick for Home Assistant). */
  usbMappings?: readonly Input<string>[];
}

export interface ProxmoxHostFacts {
  nodeName: string;
  datastore: string;
  bridge: string;
}

/** A locally administered MAC derived from the VM name: stable across re-creation (DHCP leases). */
export function stableMac(name: string): string {
  const digest = createHash("sha256").update(name).digest();
  const bytes = [0x02, digest[0]!, digest[1]!, digest[2]!, digest[3]!, digest[4]!];
  return bytes.map((b) => b.toString(16).padStart(2, "0").toUpperCase()).join(":");
}

/**
 * The VM's SMBIOS UUID, derived from its name: Talos reports it as the machine id, so Omni's
 * cluster templates can name each VM before it exists (lib/talos/cluster-template.ts).
 */
export function stableUuid(name: string): string {
  const b = createHash("sha256").update(`homelab machine ${name}`).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5 layout (name-based)
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Proxmox arguments of one VM. */
export function machineArgs(spec: MachineSpec, host: ProxmoxHostFacts, talosIsoFileId?: Input<string>): proxmox.VmLegacyArgs {
  const disk: proxmox.types.input.VmLegacyDisk = { datastoreId: host.datastore, interface: "scsi0", size: spec.size.diskGb, discard: "on", ssd: true, iothread: true, fileFormat: "raw" };
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
    disks: [disk],
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
      // Through resource mappings, like the GPU: a raw host USB id needs root@pam, a mapping only Mapping.Use.
      ...(spec.usbMappings && spec.usbMappings.length > 0 ? { usbs: spec.usbMappings.map((mapping) => ({ mapping })) } : {}),
    };
  }
  if (spec.kind === "runner") {
    if (!spec.cloudImage) throw new Error(`machine "${spec.name}": a runner VM needs its cloud image and cloud-init user data (components/ci-runner)`);
    return {
      ...common,
      operatingSystem: { type: "l26" },
      bios: "seabios",
      machine: "q35",
      // The Debian cloud image becomes the disk, grown to the configured size.
      disks: [{ ...disk, fileId: spec.cloudImage.fileId }],
      initialization: {
        datastoreId: host.datastore,
        userDataFileId: spec.cloudImage.userDataFileId,
        ipConfigs: [{ ipv4: { address: "dhcp" } }],
      },
      // The deployer: always on, with the host.
      started: true,
      onBoot: true,
      // Debian's cloud images log to the serial console.
      serialDevices: [{ device: "socket" }],
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
