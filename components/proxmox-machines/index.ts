import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as pulumi from "@pulumi/pulumi";
import { machineArgs, type MachineSpec, type ProxmoxHostFacts } from "../../lib/proxmox/vm-args";

export interface ProxmoxMachinesArgs {
  host: ProxmoxHostFacts;
  machines: readonly MachineSpec[];
  /** Talos ISO (Image Factory) on the host, `<datastore>:iso/<file>`; attached to Talos VMs. */
  talosIsoFileId?: pulumi.Input<string>;
  /** Text shown in the Proxmox notes of every VM. */
  description: pulumi.Input<string>;
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
