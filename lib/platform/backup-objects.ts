/**
 * The backup objects of a cluster, derived from its records through lib/backup: a Volsync
 * ReplicationSource (restic, `copyMethod: Direct`: local-path has no CSI snapshots) for every
 * critical or bulk volume, the CloudNativePG backup settings and ScheduledBackup of every database
 * with a class, and a restore-drill CronJob for every critical backup. The drills run the scripts
 * the test suite runs against real tools (lib/backup/files), in the app's namespace with the
 * repository Secret the backup itself uses, and restore into a scratch volume of their own pod;
 * their Job results are the metrics (kube-state-metrics) the alerts read.
 *
 * Secrets: the repository location and the S3 key come from Pulumi (the cloud stack's bucket);
 * the restic password comes from Bitwarden (`homelab-volsync-restic-password`, created once and
 * kept there, so a cluster rebuilt from nothing can read its backups), merged into the same Secret
 * by External Secrets (`creationPolicy: Merge`).
 */
import type { AppRecord } from "../catalog/types";
import { classPolicies, cronFor, cronWithSeconds, drillCronJobName, drillScratchGi, staleAfterSeconds, type KeptClass } from "../backup/classes";
import { clusterBackupItems, mgmtBackupHost, mgmtBackupItems, type BackupItem } from "../backup/items";
import { labels } from "../markers";
import { images, versions } from "../versions";
import { appsOn, specsOn, type ClusterContext } from "./cluster-context";
import type { KubernetesDocument, SecretSource } from "./documents";
import { awsChecksumEnv } from "./charts/velero";

/** Bitwarden key of the restic password of every Volsync repository in the OCI bucket. */
export const volsyncPasswordKey = "homelab-volsync-restic-password";

/** Bucket prefixes per tool, so that each repository is its own path (Volsync: "must be unique for each PVC"). */
export const bucketPrefixes = { volsync: "volsync", cnpg: "cnpg", velero: "velero", mgmt: "mgmt" } as const;

export interface BackupObjects {
  objects: { id: string; object: KubernetesDocument; after: string[] }[];
  secrets: { name: string; namespace: string; keys: Record<string, SecretSource> }[];
  /** Namespaces whose Volsync movers run as root with DAC_OVERRIDE (to read any file of the volume). */
  privilegedMoverNamespaces: string[];
}

const volsyncSecret = (pvc: string) => `${pvc}-volsync`;

function appWithChart(ctx: ClusterContext, chart: string): AppRecord | undefined {
  return appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === chart);
}

/** CloudNativePG `spec.backup` and env of a database of a class: barman-cloud to the bucket (the in-tree method of operator 1.25). */
export function databaseBackupSpec(ctx: ClusterContext, database: string, backupClass: KeptClass): { env: unknown[]; backup: unknown; parameters: Record<string, string> } {
  return {
    // boto3 ≥ 1.36 adds checksums OCI refuses; CNPG's documented workaround (object_stores.md).
    env: awsChecksumEnv,
    parameters: { archive_timeout: classPolicies[backupClass].archiveTimeout },
    backup: {
      retentionPolicy: classPolicies[backupClass].databaseWindow,
      barmanObjectStore: {
        serverName: barmanServerName(ctx, database),
        destinationPath: ctx.backup.bucketUrl,
        endpointURL: ctx.backup.s3Endpoint,
        s3Credentials: {
          accessKeyId: { name: "cnpg-s3", key: "ACCESS_KEY_ID" },
          secretAccessKey: { name: "cnpg-s3", key: "ACCESS_SECRET_KEY" },
          region: { name: "cnpg-s3", key: "REGION" },
        },
        wal: { compression: "gzip", maxParallel: 1 },
        data: { compression: "gzip", jobs: 1 },
      },
    },
  };
}

/** barman's server name: the cluster and the database, so that every database of every cluster has its own path in the bucket. */
export function barmanServerName(ctx: Pick<ClusterContext, "cluster">, database: string): string {
  return `${bucketPrefixes.cnpg}-${ctx.cluster}-${database}`;
}

/** Daily drills run at 04:MM, after the night's backups (02:MM). */
function dailyDrillCron(minute: number): string {
  return `${minute % 60} 4 * * *`;
}

/** Database drills run on Sunday at 05:45, after the weekly base backups (03:30). */
const weeklyDatabaseDrillCron = "45 5 * * 0";

function drillCronJob(name: string, namespace: string, schedule: string, container: Record<string, unknown>, scratch: string, scratchGi: number): KubernetesDocument {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name, namespace, labels: { [labels.backupDrill]: "true" } },
    spec: {
      schedule,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      // The last failed Job (and its kube_job_failed series) stays until a later run succeeds.
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { [labels.backupDrill]: "true" } },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: 3600,
          template: {
            metadata: { labels: { [labels.backupDrill]: "true" } },
            spec: {
              restartPolicy: "Never",
              containers: [{ name: "drill", ...container, volumeMounts: [{ name: "scratch", mountPath: scratch }], resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } } }],
              volumes: [{ name: "scratch", emptyDir: { sizeLimit: `${scratchGi}Gi` } }],
            },
          },
        },
      },
    },
  };
}

/** Everything backup-related on the cluster, from its records. */
export function backupObjects(ctx: ClusterContext, scripts: { restic: string; database: string }): BackupObjects {
  const result: BackupObjects = { objects: [], secrets: [], privilegedMoverNamespaces: [] };
  const items = clusterBackupItems(ctx.cluster, ctx.apps, specsOn(ctx));
  const volsync = appWithChart(ctx, "volsync");
  const secretStore = appWithChart(ctx, "externalSecrets");
  const postgres = appWithChart(ctx, "cloudnativePg");
  const add = (id: string, object: KubernetesDocument, after: (AppRecord | undefined)[]) =>
    result.objects.push({ id: `${ctx.cluster}-${id}`, object, after: after.filter((a): a is AppRecord => a !== undefined).map((a) => a.name) });
  const bulk = ctx.bulkBackup;
  let minute = 10;

  for (const item of items.filter((i) => i.tool === "volsync")) {
    const namespace = item.namespace!;
    const isBulk = classPolicies[item.backupClass].destination === "bulk";
    if (isBulk && bulk?.kind !== "restic") continue; // explicitly not copied: the plan prints the reason
    if (!volsync) throw new Error(`catalog app "${item.app}": volume ${namespace}/${item.name} is class ${item.backupClass} (Volsync), but Volsync does not run on ${ctx.cluster}; add ${ctx.cluster} to the volsync record's clusters`);
    if (!secretStore) throw new Error(`catalog app "${item.app}": Volsync's restic password comes from Bitwarden, but External Secrets does not run on ${ctx.cluster}`);
    const secret = volsyncSecret(item.name);
    const path = `${ctx.cluster}/${namespace}/${item.name}`;
    result.secrets.push({
      name: secret,
      namespace,
      keys: isBulk && bulk?.kind === "restic"
        ? { RESTIC_REPOSITORY: { from: "literal", value: `${bulk.repository}/${path}` } }
        : {
            RESTIC_REPOSITORY: { from: "backup", part: "resticRepository", path: `${bucketPrefixes.volsync}/${path}` },
            AWS_ACCESS_KEY_ID: { from: "backup", part: "accessKeyId" },
            AWS_SECRET_ACCESS_KEY: { from: "backup", part: "secretKey" },
            AWS_DEFAULT_REGION: { from: "backup", part: "region" },
          },
    });
    const bitwardenKeys: Record<string, string> = isBulk && bulk?.kind === "restic"
      ? {
          RESTIC_PASSWORD: bulk.passwordKey,
          ...(bulk.accessKeyIdKey ? { AWS_ACCESS_KEY_ID: bulk.accessKeyIdKey } : {}),
          ...(bulk.secretAccessKeyKey ? { AWS_SECRET_ACCESS_KEY: bulk.secretAccessKeyKey } : {}),
          ...(bulk.restUsernameKey ? { RESTIC_REST_USERNAME: bulk.restUsernameKey } : {}),
          ...(bulk.restPasswordKey ? { RESTIC_REST_PASSWORD: bulk.restPasswordKey } : {}),
        }
      : { RESTIC_PASSWORD: volsyncPasswordKey };
    add(`volsync-password-${namespace}-${item.name}`, {
      apiVersion: "external-secrets.io/v1",
      kind: "ExternalSecret",
      metadata: { name: `${secret}-password`, namespace },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: "bitwarden" },
        // The Secret exists (Pulumi writes the repository and the S3 key); this adds the password.
        target: { name: secret, creationPolicy: "Merge" },
        data: Object.entries(bitwardenKeys).map(([secretKey, key]) => ({ secretKey, remoteRef: { key } })),
      },
    }, [secretStore]);
    const keep = classPolicies[item.backupClass].keep;
    add(`volsync-${namespace}-${item.name}`, {
      apiVersion: "volsync.backube/v1alpha1",
      kind: "ReplicationSource",
      metadata: { name: item.name, namespace, labels: { [labels.app]: item.app!, [labels.backupClass]: item.backupClass } },
      spec: {
        sourcePVC: item.name,
        trigger: { schedule: cronFor(item.backupClass, minute) },
        restic: {
          repository: secret,
          copyMethod: "Direct",
          pruneIntervalDays: 14,
          retain: { daily: keep.daily, weekly: keep.weekly, monthly: keep.monthly },
          cacheCapacity: "1Gi",
          cacheStorageClassName: ctx.defaultStorageClass,
          cacheAccessModes: ["ReadWriteOnce"],
        },
      },
    }, [volsync]);
    if (!result.privilegedMoverNamespaces.includes(namespace)) result.privilegedMoverNamespaces.push(namespace);
    if (classPolicies[item.backupClass].drilled) {
      add(`drill-${namespace}-${item.name}`, drillCronJob(drillCronJobName("daily", item.name), namespace, dailyDrillCron(minute), {
        image: `docker.io/restic/restic:${versions.restic}`,
        command: ["/bin/sh", "-c", scripts.restic],
        envFrom: [{ secretRef: { name: secret } }],
        env: [
          { name: "TZ", value: "UTC" },
          { name: "DRILL_HOST", value: "volsync" },
          { name: "MAX_AGE_SECONDS", value: String(staleAfterSeconds(item.backupClass)) },
          { name: "RESTORE_DIR", value: "/scratch/restore" },
          { name: "RESTIC_CACHE_DIR", value: "/scratch/cache" },
        ],
      }, "/scratch", drillScratchGi(item.sizeGi)), [volsync]);
    }
    minute += 5;
  }

  for (const item of items.filter((i) => i.tool === "cloudnative-pg")) {
    addDatabaseBackup(ctx, item, scripts.database, add, postgres, result);
  }

  // The management VM cannot report its own silence: CLOUD drills its repository every day, once
  // per class, since backup.sh writes a snapshot per class (tag class=<c>) with its own interval.
  const mgmt = mgmtBackupItems(ctx.apps).filter((i) => classPolicies[i.backupClass].drilled);
  if (ctx.cluster === "cloud" && mgmt.length > 0 && volsync && volsync.placement.kind === "cluster") {
    const namespace = volsync.placement.namespace;
    result.secrets.push({
      name: "mgmt-restic",
      namespace,
      keys: {
        RESTIC_REPOSITORY: { from: "backup", part: "resticRepository", path: bucketPrefixes.mgmt },
        RESTIC_PASSWORD: { from: "mgmtResticPassword" },
        AWS_ACCESS_KEY_ID: { from: "backup", part: "accessKeyId" },
        AWS_SECRET_ACCESS_KEY: { from: "backup", part: "secretKey" },
        AWS_DEFAULT_REGION: { from: "backup", part: "region" },
      },
    });
    const classes = [...new Set(mgmt.map((i) => i.backupClass))];
    classes.forEach((backupClass, index) => {
      const sizeGi = mgmt.filter((i) => i.backupClass === backupClass).reduce((sum, i) => sum + i.sizeGi, 0);
      add(`drill-mgmt-${backupClass}`, drillCronJob(drillCronJobName("daily", `${mgmtBackupHost}-${backupClass}`), namespace, dailyDrillCron(50 + 5 * index), {
        image: `docker.io/restic/restic:${versions.restic}`,
        command: ["/bin/sh", "-c", scripts.restic],
        envFrom: [{ secretRef: { name: "mgmt-restic" } }],
        env: [
          { name: "TZ", value: "UTC" },
          { name: "DRILL_HOST", value: mgmtBackupHost },
          { name: "DRILL_TAG", value: `class=${backupClass}` },
          { name: "MAX_AGE_SECONDS", value: String(staleAfterSeconds(backupClass)) },
          { name: "RESTORE_DIR", value: "/scratch/restore" },
          { name: "RESTIC_CACHE_DIR", value: "/scratch/cache" },
        ],
      }, "/scratch", drillScratchGi(sizeGi)), []);
    });
  }
  return result;
}

function addDatabaseBackup(
  ctx: ClusterContext,
  item: BackupItem,
  script: string,
  add: (id: string, object: KubernetesDocument, after: (AppRecord | undefined)[]) => void,
  postgres: AppRecord | undefined,
  result: BackupObjects,
): void {
  const namespace = item.namespace!;
  if (!result.secrets.some((s) => s.name === "cnpg-s3" && s.namespace === namespace)) {
    result.secrets.push({
      name: "cnpg-s3",
      namespace,
      keys: { ACCESS_KEY_ID: { from: "backup", part: "accessKeyId" }, ACCESS_SECRET_KEY: { from: "backup", part: "secretKey" }, REGION: { from: "backup", part: "region" } },
    });
  }
  add(`${item.name}-scheduled-backup`, {
    apiVersion: "postgresql.cnpg.io/v1",
    kind: "ScheduledBackup",
    metadata: { name: `${item.name}-weekly`, namespace, labels: { [labels.backupClass]: item.backupClass } },
    // Weekly base backups for every class; the WAL archive carries the changes in between.
    spec: { schedule: cronWithSeconds("standard", 30), backupOwnerReference: "self", cluster: { name: item.name }, method: "barmanObjectStore", immediate: true },
  }, [postgres]);
  if (!classPolicies[item.backupClass].drilled) return;
  const app = ctx.apps.find((a) => a.name === item.app);
  const spec = app?.deploy?.kind === "template" ? app.deploy.spec(ctx, app) : undefined;
  const image = spec?.database === "vectors" ? images.postgresVectors : images.postgres;
  add(`drill-${namespace}-${item.name}`, drillCronJob(drillCronJobName("weekly", item.name), namespace, weeklyDatabaseDrillCron, {
    image: `${image.repository}:${image.tag}`,
    command: ["/bin/sh", "-c", script],
    env: [
      { name: "TZ", value: "UTC" },
      { name: "BARMAN_DESTINATION", value: ctx.backup.bucketUrl },
      { name: "SERVER_NAME", value: barmanServerName(ctx, item.name) },
      { name: "ENDPOINT_URL", value: ctx.backup.s3Endpoint },
      { name: "DATABASE", value: item.app! },
      // Base backups are weekly: a week plus the class's margin.
      { name: "MAX_AGE_SECONDS", value: String(7 * 86400 + classPolicies[item.backupClass].marginHours * 3600) },
      { name: "SCRATCH", value: "/scratch" },
      { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "cnpg-s3", key: "ACCESS_KEY_ID" } } },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "cnpg-s3", key: "ACCESS_SECRET_KEY" } } },
      { name: "AWS_DEFAULT_REGION", valueFrom: { secretKeyRef: { name: "cnpg-s3", key: "REGION" } } },
      ...awsChecksumEnv,
    ],
    // The postgres user of the CNPG images.
    securityContext: { runAsUser: 26, runAsGroup: 26, allowPrivilegeEscalation: false },
  }, "/scratch", drillScratchGi(item.sizeGi)), [postgres]);
}
