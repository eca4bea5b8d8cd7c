/**
 * The machines of the home clusters, one roster per cluster: name, Proxmox VM id, role and the
 * size key in the stack's `homelab:vms`. The VMs, the Omni cluster template, the cluster's nodes
 * (replicas, budgets) and the host budget all read these rosters and nothing else.
 */
import { stableUuid } from "./proxmox/vm-args";

export type HomeClusterName = "prod" | "dev";

export interface RosterMachine {
  /** VM name, also the Talos hostname. */
  name: string;
  /** Proxmox VMID: fixed so that backups and firewall rules keep pointing at the same VM. */
  vmId: number;
  role: "control-plane" | "worker";
  /** Key of the VM size in the stack's `homelab:vms` (several machines may share one size). */
  size: string;
}

export interface HomeRoster {
  /** Whether workloads run on the control planes too (a single-node cluster must). */
  schedulesOnControlPlane: boolean;
  machines: readonly RosterMachine[];
}

export type Rosters = Readonly<Record<HomeClusterName, HomeRoster>>;

export const homeRosters: Rosters = {
  prod: {
    schedulesOnControlPlane: false,
    machines: [
      { name: "prod-cp-1", vmId: 2001, role: "control-plane", size: "controlPlane" },
      { name: "prod-worker-1", vmId: 2011, role: "worker", size: "worker" },
    ],
  },
  dev: {
    schedulesOnControlPlane: true,
    machines: [{ name: "dev-1", vmId: 1001, role: "control-plane", size: "node" }],
  },
};

/** The on-demand gaming VM of the prod stack (not a cluster node). */
export const gamingVm = { name: "gaming", vmId: 3001 } as const;

/** The CI runner VM of the prod stack (not a cluster node): the deployments of dev and prod run there. */
export const runnerVm = { name: "gh-runner", vmId: 3002 } as const;

export interface VmSizeLike {
  cores: number;
  memoryGb: number;
  diskGb: number;
}

/** A roster machine with its size from config and what follows from the roster. */
export interface HomeMachine extends RosterMachine, VmSizeLike {
  cluster: HomeClusterName;
  /** Runs workloads (a worker, or a control plane of a cluster that schedules on them). */
  schedulable: boolean;
  /** SMBIOS UUID = Omni machine id, known before the VM exists. */
  uuid: string;
}

/** The machines of a home cluster with their sizes; a size key the config lacks is a config error (lib/config checks it first). */
export function homeMachines(cluster: HomeClusterName, rosters: Rosters, sizes: Readonly<Record<string, VmSizeLike>>): HomeMachine[] {
  const roster = rosters[cluster];
  return roster.machines.map((machine) => {
    const size = sizes[machine.size];
    if (!size) throw new Error(`roster ${cluster}: machine "${machine.name}" uses size "${machine.size}", which homelab:vms does not define`);
    return {
      ...machine,
      cores: size.cores,
      memoryGb: size.memoryGb,
      diskGb: size.diskGb,
      cluster,
      schedulable: machine.role === "worker" || roster.schedulesOnControlPlane,
      uuid: stableUuid(machine.name),
    };
  });
}

/**
 * Every size key a cluster's roster uses must be in the stack's config (`key` names it), so that a
 * missing size stops the program before any resource, naming the key to set.
 */
export function rosterSizeProblems(cluster: HomeClusterName, rosters: Rosters, sizes: Readonly<Record<string, VmSizeLike>>, key: string): string[] {
  return rosters[cluster].machines
    .filter((m) => !(m.size in sizes))
    .map((m) => `${key}.${m.size} = (missing): the ${cluster} roster's machine "${m.name}" uses size "${m.size}"; fix: pulumi config set --path '${key}.${m.size}' '{"cores":2,"memoryGb":4,"diskGb":50}' (or give the machine a size of ${Object.keys(sizes).join(", ")})`);
}

/** Problems of the rosters themselves: names and VM ids unique across the host, one control plane at least. */
export function rosterProblems(rosters: Rosters, reserved: readonly { name: string; vmId: number }[] = [gamingVm, runnerVm]): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>(reserved.map((vm) => [vm.name, `the ${vm.name} VM`]));
  const ids = new Map<number, string>(reserved.map((vm) => [vm.vmId, `the ${vm.name} VM`]));
  for (const [cluster, roster] of Object.entries(rosters)) {
    if (!roster.machines.some((m) => m.role === "control-plane")) problems.push(`roster ${cluster}: no control-plane machine`);
    for (const m of roster.machines) {
      if (!/^[a-z][a-z0-9-]{0,30}$/.test(m.name)) problems.push(`roster ${cluster}: machine name "${m.name}" is not a host name`);
      if (names.has(m.name)) problems.push(`roster ${cluster}: machine name "${m.name}" is also used in ${names.get(m.name)}`);
      if (ids.has(m.vmId)) problems.push(`roster ${cluster}: VM id ${m.vmId} of "${m.name}" is also ${ids.get(m.vmId)}`);
      if (!Number.isInteger(m.vmId) || m.vmId < 100 || m.vmId > 999_999_999) problems.push(`roster ${cluster}: VM id ${m.vmId} of "${m.name}" is outside Proxmox's 100–999999999`);
      names.set(m.name, `roster ${cluster}`);
      ids.set(m.vmId, `"${m.name}"`);
    }
    if (roster.machines.filter((m) => m.role === "worker").length === 0 && !roster.schedulesOnControlPlane) {
      problems.push(`roster ${cluster}: no worker and no scheduling on the control plane, so nothing could run`);
    }
  }
  return problems;
}
