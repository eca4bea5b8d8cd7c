/**
 * What is backed up, derived from the catalog records: every PVC, database, namespace and
 * dataset gets its class from the record that owns or mounts it, and the class picks the tool.
 *
 * | data                          | critical            | standard             | bulk                         |
 * |-------------------------------|---------------------|----------------------|------------------------------|
 * | app PVC (app-template)        | Volsync restic, OCI | Velero FSB, OCI      | Volsync restic, bulk dest.   |
 * | database (CloudNativePG)      | WAL + base, OCI     | WAL + base, OCI      | as standard (a database is small) |
 * | Kubernetes objects (namespace)| Velero, OCI         | Velero, OCI          | Velero, OCI (objects are small) |
 * | management VM files           | restic, OCI         | restic, OCI          | —                            |
 * | ZFS dataset (host)            | —                   | —                    | sanoid + syncoid, bulk dest. |
 *
 * NFS media are datasets: they never enter Velero (a volume policy skips NFS) nor the bucket.
 */
import type { AppRecord, BackupClass, ClusterName } from "../catalog/types";
import { templateVolumes, type TemplateAppSpec } from "../platform/app-template";
import { appsOnCluster, type ClusterContext } from "../platform/cluster-context";
import { lanRoutes, tunnelRoutes } from "../routes";
import { classPolicies, highestClass, resticKeepFlags, volumeTool, type KeptClass } from "./classes";

export type BackupTool = "volsync" | "velero-fsb" | "velero-objects" | "cloudnative-pg" | "mgmt-restic" | "sanoid";

export interface BackupItem {
  backupClass: KeptClass;
  kind: "volume" | "database" | "objects" | "vm-files" | "dataset";
  /** Cluster, `oci-mgmt` or the Proxmox host. */
  where: ClusterName | "oci-mgmt" | "proxmox";
  namespace?: string;
  /** PVC, CloudNativePG cluster, namespace, path or dataset. */
  name: string;
  /** The catalog record it comes from (none for a dataset no app mounts). */
  app?: string;
  tool: BackupTool;
  /** Expected size in GiB before compression (the record's backupSize, else the requested size). */
  sizeGi: number;
}

/** Requested size of a Kubernetes quantity ("2Gi", "256Mi") in GiB. */
export function quantityGi(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(quantity);
  if (!match) throw new Error(`size "${quantity}" is not a quantity in Mi, Gi or Ti`);
  const factor = { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[match[2] as "Mi" | "Gi" | "Ti"];
  return Number(match[1]) * factor;
}

/** The database volume every CloudNativePG cluster of the platform requests (lib/platform/objects.ts). */
export const databaseVolumeSize = "5Gi";


/** A database's class: the app's; a bulk app's database is small, so it goes off-site like standard data. */
export function databaseClass(app: AppRecord): BackupClass {
  return app.backup === "bulk" ? "standard" : app.backup;
}

/**
 * The app-template spec of a record on a cluster. The platform renders it with the cluster's
 * context; the plan, which may not hold the other stacks' config, with `specsWithoutConfig`.
 */
export type SpecOf = (app: AppRecord) => TemplateAppSpec | undefined;

/**
 * Specs rendered with a stand-in context: a record reads its context only for hostnames and env
 * values, never for its volumes, database or mounts, which are all the backup items need.
 */
export function specsWithoutConfig(cluster: ClusterName, apps: readonly AppRecord[]): SpecOf {
  const domain = "backup-plan.invalid";
  const ctx: ClusterContext = {
    cluster,
    domain,
    apps,
    routes: tunnelRoutes(domain, apps),
    lanRoutes: lanRoutes(domain, apps),
    authentikUrl: `https://auth.${domain}`,
    nodes: [],
    defaultStorageClass: "default",
    nfs: { server: "nfs", pool: "tank" },
    backup: { s3Endpoint: "", bucket: "", region: "", bucketUrl: "" },
    acmeEmail: `admin@${domain}`,
    bitwarden: { organizationId: "", projectId: "" },
    usbDevices: [],
  };
  return (app) => (app.deploy?.kind === "template" ? app.deploy.spec(ctx, app) : undefined);
}

/** Specs of every record, each rendered for the first cluster it runs on (for the datasets the records mount). */
export function catalogSpecs(apps: readonly AppRecord[]): SpecOf {
  return (app) => (app.placement.kind === "cluster" ? specsWithoutConfig(app.placement.clusters[0]!, apps)(app) : undefined);
}

/** Every backup item of one cluster, from its apps' records. */
export function clusterBackupItems(cluster: ClusterName, apps: readonly AppRecord[], specOf: SpecOf): BackupItem[] {
  const items: BackupItem[] = [];
  const onCluster = appsOnCluster(cluster, apps);
  const namespaceClasses = new Map<string, BackupClass[]>();
  for (const app of onCluster) {
    if (app.placement.kind !== "cluster") continue;
    const namespace = app.placement.namespace;
    namespaceClasses.set(namespace, [...(namespaceClasses.get(namespace) ?? []), app.backup]);
    const spec = specOf(app);
    if (!spec) continue;
    const volumes = templateVolumes(app, spec).filter((v) => v.backup !== "none");
    const requested = volumes.reduce((sum, v) => sum + quantityGi(v.size), 0);
    for (const volume of volumes) {
      const share = requested > 0 ? quantityGi(volume.size) / requested : 0;
      const sizeGi = app.backupSize?.volumesGi !== undefined ? app.backupSize.volumesGi * share : quantityGi(volume.size);
      items.push({ backupClass: volume.backup as KeptClass, kind: "volume", where: cluster, namespace, name: volume.claimName, app: app.name, tool: volumeTool(volume.backup)!, sizeGi });
    }
    const dbClass = databaseClass(app);
    if (spec.database && dbClass !== "none") {
      items.push({
        backupClass: dbClass,
        kind: "database",
        where: cluster,
        namespace,
        name: `${app.name}-db`,
        app: app.name,
        tool: "cloudnative-pg",
        sizeGi: app.backupSize?.databaseGi ?? quantityGi(databaseVolumeSize),
      });
    }
  }
  for (const [namespace, classes] of [...namespaceClasses.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const backupClass = highestClass(classes);
    if (backupClass === "none") continue;
    items.push({ backupClass, kind: "objects", where: cluster, namespace, name: namespace, tool: "velero-objects", sizeGi: 0.01 });
  }
  return items;
}

/** The Velero schedule's namespaces per class on a cluster: a namespace goes with its highest class. */
export function veleroNamespacesByClass(items: readonly BackupItem[]): Partial<Record<KeptClass, string[]>> {
  const byClass: Partial<Record<KeptClass, string[]>> = {};
  for (const item of items.filter((i) => i.kind === "objects")) (byClass[item.backupClass] ??= []).push(item.name);
  return byClass;
}

/** The restic host name of the management VM's snapshots. */
export const mgmtBackupHost = "oci-mgmt";

/** Paths of the management VM's backup container per app (lib/management-vm/documents.ts mounts them). */
export const mgmtBackupPaths: Readonly<Record<string, readonly string[]>> = {
  omni: ["/data/omni"],
  authentik: ["/data/dumps", "/data/authentik-data"],
};

/** The management VM's items: the paths of each VM app whose record has a class. */
export function mgmtBackupItems(apps: readonly AppRecord[]): BackupItem[] {
  const items: BackupItem[] = [];
  for (const app of apps.filter((a) => a.placement.kind === "mgmt-vm" && a.backup !== "none")) {
    const paths = mgmtBackupPaths[app.name];
    if (!paths) throw new Error(`catalog app "${app.name}" runs on the management VM with backup "${app.backup}", but lib/backup/items.ts names no path of it (mgmtBackupPaths)`);
    if (app.backup === "bulk") throw new Error(`catalog app "${app.name}": the management VM has no bulk destination; use "critical" or "standard"`);
    const total = (app.backupSize?.volumesGi ?? 1) + (app.backupSize?.databaseGi ?? 0);
    for (const path of paths) {
      items.push({ backupClass: app.backup as KeptClass, kind: "vm-files", where: "oci-mgmt", name: path, app: app.name, tool: "mgmt-restic", sizeGi: total / paths.length });
    }
  }
  return items;
}

/**
 * The host's datasets (config) with the class of the records that mount them: the highest
 * mount class, `bulk` by default and for the datasets no app mounts.
 */
export function datasetBackupItems(datasets: readonly string[], apps: readonly AppRecord[], specOf: SpecOf): BackupItem[] {
  const mounts = new Map<string, ("bulk" | "none")[]>();
  for (const app of apps) {
    for (const media of specOf(app)?.media ?? []) mounts.set(media.dataset, [...(mounts.get(media.dataset) ?? []), media.backup ?? "bulk"]);
  }
  return datasets.flatMap((dataset): BackupItem[] => {
    const classes = mounts.get(dataset) ?? ["bulk"];
    if (highestClass(classes) === "none") return [];
    return [{ backupClass: "bulk", kind: "dataset", where: "proxmox", name: dataset, tool: "sanoid", sizeGi: 0 }];
  });
}

/** One backup class of the management VM's restic job: what backup.sh reads from its environment. */
export interface MgmtBackupClass {
  name: KeptClass;
  paths: string[];
  intervalSeconds: number;
  keepFlags: string[];
  uploadKiBps: number;
}

/** The VM's restic job per class, from the classes of the VM's records. */
export function mgmtBackupSchedule(apps: readonly AppRecord[]): MgmtBackupClass[] {
  const byClass = new Map<KeptClass, string[]>();
  for (const item of mgmtBackupItems(apps)) byClass.set(item.backupClass, [...(byClass.get(item.backupClass) ?? []), item.name]);
  return [...byClass.entries()].map(([name, paths]) => ({
    name,
    paths,
    intervalSeconds: classPolicies[name].intervalHours * 3600,
    keepFlags: resticKeepFlags(classPolicies[name].keep),
    uploadKiBps: classPolicies[name].uploadKiBps,
  }));
}
