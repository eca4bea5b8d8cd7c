/**
 * Velero (chart 12.1.0, Velero 1.18.1): one Schedule per backup class with the namespaces whose
 * records have that class on the cluster, to the OCI bucket through its S3-compatible API.
 *
 * - Objects of every namespace with a class; volume data only where Velero is the class's tool
 *   (standard volumes, by the pods' opt-in annotation, see lib/platform/app-template.ts):
 *   critical volumes go through Volsync, databases through CloudNativePG, bulk never to the bucket.
 * - The NFS media never enter Velero: a volume policy skips inline NFS volumes and the
 *   nfs.csi.k8s.io volumes before any opt-in is read (Velero 1.18 docs, resource-filtering.md:
 *   "The VolumePolicy has the second priority. It supersedes all the other filters").
 * - OCI's S3 API: plugin v1.14.x is the Velero 1.18 line (plugin README matrix); v1.14.3 is the
 *   first that does not corrupt objects with `checksumAlgorithm: ""` (velero#9951). OCI refuses
 *   the SDK's default CRC32 trailer (velero#8013, #9089), hence the empty algorithm and the
 *   `when_required` variables for the SDK. Multipart uploads (> 5 MiB tarballs) still carry a
 *   trailer OCI refuses (velero#10543, open): per-class schedules of a homelab stay far below, and
 *   `VeleroBackupTarballLarge` warns before one gets there.
 * - Requests: validation every 12 h and a sync every hour instead of every minute (Velero's
 *   defaults alone would spend ~86k of the 50k free API requests a month per cluster).
 */
import type { AppRecord, Values } from "../../catalog/types";
import { classPolicies, cronFor, keptClasses } from "../../backup/classes";
import { clusterBackupItems, veleroNamespacesByClass } from "../../backup/items";
import { images } from "../../versions";
import { specsOn, type ClusterContext } from "../cluster-context";
import { perNodeResourcesFor, resourcesFor } from "../resources";

/** The Secret with Velero's S3 credentials file (written by the Platform from the backup key). */
export const veleroCredentialsSecret = "velero-s3";

/** The ConfigMap the chart renders from `configMaps.volume-policy` (`<fullname>-<key>`, release "velero"). */
export const veleroVolumePolicy = "velero-volume-policy";

/** Schedule name as the chart renders it (`<fullname>-<key>`): the `schedule` label of Velero's metrics. */
export function veleroScheduleName(backupClass: string): string {
  return `velero-${backupClass}`;
}

/** Velero 1.18 volume policy: NFS (inline and CSI) is skipped whatever a pod asks. */
export const volumePolicyDocument = [
  "version: v1",
  "volumePolicies:",
  "  - conditions:",
  "      nfs: {}",
  "    action:",
  "      type: skip",
  "  - conditions:",
  "      csi:",
  "        driver: nfs.csi.k8s.io",
  "    action:",
  "      type: skip",
  "",
].join("\n");

/** The AWS SDK v2 variables that keep it from adding checksums OCI refuses. */
export const awsChecksumEnv = [
  { name: "AWS_REQUEST_CHECKSUM_CALCULATION", value: "when_required" },
  { name: "AWS_RESPONSE_CHECKSUM_VALIDATION", value: "when_required" },
];

export function veleroValues(ctx: ClusterContext, app: AppRecord): Values {
  const namespaces = veleroNamespacesByClass(clusterBackupItems(ctx.cluster, ctx.apps, specsOn(ctx)));
  const schedules: Record<string, unknown> = {};
  for (const backupClass of keptClasses) {
    const included = namespaces[backupClass];
    if (!included || included.length === 0) continue;
    schedules[backupClass] = {
      schedule: cronFor(backupClass, 0),
      template: {
        ttl: classPolicies[backupClass].veleroTtl,
        includedNamespaces: included,
        storageLocation: "oci",
        snapshotVolumes: false,
        // Volume data only by the pods' opt-in annotation (standard volumes).
        defaultVolumesToFsBackup: false,
        resourcePolicy: { kind: "configmap", name: veleroVolumePolicy },
      },
    };
  }
  return {
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: `${images.veleroPluginAws.repository}:${images.veleroPluginAws.tag}`,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    configuration: {
      backupStorageLocation: [
        {
          name: "oci",
          provider: "aws",
          bucket: ctx.backup.bucket,
          prefix: `velero/${ctx.cluster}`,
          default: true,
          validationFrequency: "12h",
          backupSyncPeriod: "1h",
          config: { region: ctx.backup.region, s3Url: ctx.backup.s3Endpoint, s3ForcePathStyle: "true", checksumAlgorithm: "" },
        },
      ],
      volumeSnapshotLocation: [],
      backupSyncPeriod: "1h",
      defaultRepoMaintainFrequency: "168h",
      // One list reaches the server and the node agent (the chart renders it in both).
      extraEnvVars: awsChecksumEnv,
    },
    credentials: { useSecret: true, existingSecret: veleroCredentialsSecret },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    resources: resourcesFor(app),
    // One node-agent pod per schedulable node, each with the record's perNode share (counted so in the budget).
    nodeAgent: { resources: perNodeResourcesFor(app) },
    // `velero_backup_*` feed the backup alerts; autodetect renders the monitor once the
    // monitoring.coreos.com CRDs exist (templates/servicemonitor.yaml).
    metrics: { enabled: true, serviceMonitor: { enabled: true, autodetect: true } },
    configMaps: { "volume-policy": { data: { "policy.yaml": volumePolicyDocument } } },
    schedules,
  };
}
