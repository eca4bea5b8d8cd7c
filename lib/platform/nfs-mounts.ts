/**
 * Every NFS path a cluster's platform mounts, and whether the Proxmox host exports it (issue 13):
 * app-template `nfs` volumes (the kubelet mounts them) and StorageClasses of the NFS CSI driver.
 * A mount of a path the host does not export never becomes ready, and on CLOUD it must also go
 * to the address the Twingate resource publishes, since that is the only home address CLOUD can
 * reach. The program checks PROD's own mounts before any resource; the offline plan checks every
 * stack's mounts against PROD's exports.
 */
import type { PreparedPlatform } from "./prepare";

export interface NfsMount {
  /** What mounts it: `<app>` (its volume) or `StorageClass <name>`. */
  by: string;
  server: string;
  path: string;
}

/** The NFS mounts of a prepared platform. */
export function nfsMounts(prepared: Pick<PreparedPlatform, "applications" | "objects">): NfsMount[] {
  const mounts: NfsMount[] = [];
  for (const application of prepared.applications) {
    const persistence = (application.values.persistence ?? {}) as Record<string, { type?: string; server?: string; path?: string }>;
    for (const volume of Object.values(persistence)) {
      if (volume.type === "nfs") mounts.push({ by: application.app.name, server: String(volume.server), path: String(volume.path) });
    }
  }
  for (const { object } of prepared.objects) {
    if (object.kind !== "StorageClass" || object.provisioner !== "nfs.csi.k8s.io") continue;
    const parameters = (object.parameters ?? {}) as Record<string, string>;
    mounts.push({ by: `StorageClass ${object.metadata.name}`, server: String(parameters.server), path: String(parameters.share) });
  }
  return mounts;
}

/**
 * The same mounts read back from planned resources (an Application's Helm values, a StorageClass
 * object), so that the offline plan checks what the stack really registers without rendering again.
 */
export function nfsMountsOfResources(resources: readonly { name: string; inputs: Record<string, unknown> }[]): NfsMount[] {
  const mounts: NfsMount[] = [];
  for (const { name, inputs } of resources) {
    if (inputs.apiVersion === "argoproj.io/v1alpha1" && inputs.kind === "Application") {
      const spec = inputs.spec as { source?: { helm?: { valuesObject?: { persistence?: Record<string, { type?: string; server?: string; path?: string }> } } } } | undefined;
      for (const volume of Object.values(spec?.source?.helm?.valuesObject?.persistence ?? {})) {
        if (volume.type === "nfs") mounts.push({ by: String((inputs.metadata as { name?: string } | undefined)?.name ?? name), server: String(volume.server), path: String(volume.path) });
      }
    }
    if (inputs.kind === "StorageClass" && inputs.provisioner === "nfs.csi.k8s.io") {
      const parameters = (inputs.parameters ?? {}) as Record<string, string>;
      mounts.push({ by: `StorageClass ${String((inputs.metadata as { name?: string } | undefined)?.name ?? name)}`, server: String(parameters.server), path: String(parameters.share) });
    }
  }
  return mounts;
}

/** What the host exports: its address (as the cluster reaches it) and the exported paths. */
export interface NfsExports {
  server: string;
  paths: readonly string[];
}

/** One line per mount the exports do not serve. */
export function nfsExportProblems(cluster: string, mounts: readonly NfsMount[], exports: NfsExports): string[] {
  const problems: string[] = [];
  for (const mount of mounts) {
    if (mount.server !== exports.server) {
      problems.push(`cluster ${cluster}: ${mount.by} mounts NFS from ${mount.server}, but the media exports are on ${exports.server}${cluster === "cloud" ? " (homelab:platform.nfsServer must be the prod stack's homelab:proxmox.address, the Twingate resource's address)" : ""}`);
    }
    if (!exports.paths.includes(mount.path)) {
      problems.push(`cluster ${cluster}: ${mount.by} mounts ${mount.path}, which the Proxmox host does not export (it exports ${exports.paths.join(", ") || "nothing"}); fix: mount an exported dataset or add it to homelab:hypervisor.zfs.datasets`);
    }
  }
  return problems;
}
