/**
 * Node paths the platform writes to, held to what Talos allows: its root filesystem is a read-only
 * squashfs (`/`, `/opt`, `/usr`, `/etc` …), `/run` and `/tmp` are memory; only `/var` (the
 * EPHEMERAL partition) is writable and survives a reboot. A provisioner's data directory must also
 * be bind-mounted into the kubelet with shared propagation, or volumes with `subPath` misbehave
 * (Talos v1.9 "Local Storage": "(In Talos Linux default local path provisioner path
 * /opt/local-path-provisioner is read-only)", and the `machine.kubelet.extraMounts` patch).
 */
import type { PlannedApplication } from "../platform/argocd-applications";
import { valueOr } from "../platform/values-path";
import type { ClusterSpec } from "./cluster-template";
import { basePatches } from "./cluster-template";
import type { NamedPatch, PatchTarget } from "./patches";

/** Where Talos lets pods write persistent data on the node. */
export const talosWritableRoots: readonly string[] = ["/var"];

export interface NodeDataPath {
  /** Which release and value. */
  what: string;
  path: string;
  /** A provisioner's data directory: it needs a kubelet bind mount too. */
  kubeletMount: boolean;
}

/** hostPath types that name a device or a socket rather than a place for data. */
const deviceTypes: readonly string[] = ["CharDevice", "BlockDevice", "Socket"];

const under = (path: string, root: string) => path === root || path.startsWith(`${root.replace(/\/$/, "")}/`);

/** The node paths each release writes to, from its values (and the chart's defaults). */
export function nodeDataPaths(applications: readonly PlannedApplication[]): NodeDataPath[] {
  const found: NodeDataPath[] = [];
  for (const planned of applications) {
    const v = planned.values;
    const name = planned.app.name;
    if (planned.chart === "localPath") {
      // containeroo local-path-provisioner 0.0.31 values.yaml: DEFAULT_PATH_FOR_NON_LISTED_NODES → /opt/local-path-provisioner.
      const map = valueOr(v, "nodePathMap", [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/opt/local-path-provisioner"] }]) as { paths: string[] }[];
      for (const path of map.flatMap((m) => m.paths)) found.push({ what: `${name} nodePathMap`, path, kubeletMount: true });
    }
    if (planned.chart === "longhorn") {
      found.push({ what: `${name} defaultSettings.defaultDataPath`, path: String(valueOr(v, "defaultSettings.defaultDataPath", "/var/lib/longhorn")), kubeletMount: true });
    }
    if (planned.chart === "appTemplate") {
      for (const [id, item] of Object.entries((v.persistence ?? {}) as Record<string, { type?: string; hostPath?: string; hostPathType?: string; globalMounts?: { readOnly?: boolean }[] }>)) {
        // A device or socket (the Twingate client's /dev/net/tun) is not data the node keeps.
        if (item.type !== "hostPath" || !item.hostPath || deviceTypes.includes(item.hostPathType ?? "")) continue;
        if (!(item.globalMounts ?? []).every((m) => m.readOnly === true)) found.push({ what: `${name} persistence.${id}`, path: item.hostPath, kubeletMount: false });
      }
    }
    if (planned.chart === "alloy") {
      const mounts = (valueOr(v, "alloy.mounts.extra", []) as { name: string; readOnly?: boolean }[]) ?? [];
      for (const volume of (valueOr(v, "controller.volumes.extra", []) as { name: string; hostPath?: { path: string } }[]) ?? []) {
        const mount = mounts.find((m) => m.name === volume.name);
        if (volume.hostPath && mount && mount.readOnly !== true) found.push({ what: `${name} controller.volumes.extra ${volume.name}`, path: volume.hostPath.path, kubeletMount: false });
      }
    }
  }
  return found;
}

/** The kubelet bind mounts every scheduling machine of the cluster gets from these patches. */
function kubeletMounts(patches: readonly NamedPatch[], roles: readonly PatchTarget[]): Map<PatchTarget, string[]> {
  const mounts = new Map<PatchTarget, string[]>();
  for (const role of roles) {
    const destinations = patches
      .filter((p) => p.target === "cluster" || p.target === role)
      .flatMap((p) => ((p.patch.machine?.kubelet as { extraMounts?: { destination: string; options?: string[] }[] } | undefined)?.extraMounts ?? []).filter((m) => (m.options ?? []).includes("rshared")).map((m) => m.destination));
    mounts.set(role, destinations);
  }
  return mounts;
}

/** Every written node path is under /var and, for a provisioner, bind-mounted into the kubelet of every machine that runs pods. */
export function talosPathProblems(spec: ClusterSpec, applications: readonly PlannedApplication[]): string[] {
  const patches = [...basePatches(spec), ...(spec.extraPatches ?? [])];
  const roles: PatchTarget[] = [...(spec.workers.length > 0 ? ["workers" as const] : []), ...(spec.schedulesOnControlPlane ? ["control-plane" as const] : [])];
  const mounts = kubeletMounts(patches, roles);
  const problems: string[] = [];
  for (const data of nodeDataPaths(applications)) {
    if (!talosWritableRoots.some((root) => under(data.path, root))) {
      problems.push(`${spec.name}: ${data.what} writes to ${data.path}, which Talos keeps read-only (or in memory); use a path under ${talosWritableRoots.join(", ")}`);
      continue;
    }
    if (!data.kubeletMount) continue;
    for (const role of roles) {
      if (!(mounts.get(role) ?? []).some((destination) => under(data.path, destination))) {
        problems.push(`${spec.name}: ${data.what} keeps volumes in ${data.path}, but the ${role} machines' kubelet has no rshared bind mount of it (machine.kubelet.extraMounts in lib/talos/patches.ts)`);
      }
    }
  }
  return problems;
}

/** Throws (before any resource) when the cluster's Talos machines cannot hold what the platform writes. */
export function assertNodePaths(spec: ClusterSpec, applications: readonly PlannedApplication[]): void {
  const problems = talosPathProblems(spec, applications);
  if (problems.length > 0) throw new Error(`cluster ${spec.name}: the platform writes where Talos does not allow it; nothing was created:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}
