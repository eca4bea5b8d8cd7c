import type { AppRecord, Values } from "../../catalog/types";
import { images } from "../../versions";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

/** The Secret with Velero's S3 credentials file (written by the Platform from the backup key). */
export const veleroCredentialsSecret = "velero-s3";

/** Velero: daily backups of every namespace to the OCI bucket (S3-compatible), file-system backups of volumes. */
export function veleroValues(ctx: ClusterContext, app: AppRecord): Values {
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
          config: { region: ctx.backup.region, s3Url: ctx.backup.s3Endpoint, s3ForcePathStyle: "true" },
        },
      ],
      volumeSnapshotLocation: [],
      defaultVolumesToFsBackup: true,
    },
    credentials: { useSecret: true, existingSecret: veleroCredentialsSecret },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    resources: resourcesFor(app, 0.6),
    nodeAgent: { resources: resourcesFor(app, 0.4 / Math.max(1, ctx.nodes.length)) },
    schedules: {
      daily: { schedule: "0 3 * * *", template: { ttl: "720h", includedNamespaces: ["*"], snapshotVolumes: false } },
    },
  };
}
