/** The storage charts: Longhorn on PROD, local-path on DEV and CLOUD, the NFS CSI driver everywhere. */
import type { AppObject, AppRecord, Values } from "../../catalog/types";
import type { ClusterContext } from "../cluster-context";
import { localPathDataDir } from "../../talos/patches";
import { perNodeResourcesFor, resourcesFor } from "../resources";

/** Longhorn: as many replicas as schedulable nodes (at most 3); the ZFS pool and Velero hold the other copies. */
export function longhornValues(ctx: ClusterContext, _app: AppRecord): Values {
  const replicas = Math.min(3, Math.max(1, ctx.nodes.filter((n) => n.schedulable).length));
  return {
    persistence: { defaultClass: true, defaultClassReplicaCount: replicas, reclaimPolicy: "Retain" },
    defaultSettings: { defaultReplicaCount: replicas, storageMinimalAvailablePercentage: 15 },
    longhornUI: { replicas: 1 },
    csi: { attacherReplicaCount: 1, provisionerReplicaCount: 1, resizerReplicaCount: 1, snapshotterReplicaCount: 1 },
  };
}

/**
 * local-path on DEV and CLOUD. Its PVs are `local` volumes, not the provisioner's default
 * `hostPath`: Velero's file-system backup silently skips hostPath PVs (velero v1.18.1
 * pkg/podvolume/backupper.go: "hostPath volumes are not supported"), the backup still ending
 * Completed. The chart renders this as the StorageClass annotation `defaultVolumeType`
 * (containeroo local-path-provisioner 0.0.31); PVs made before keep their type.
 */
export function localPathValues(_ctx: unknown, app: AppRecord): Values {
  return {
    storageClass: { create: true, defaultClass: true, name: app.storageClass ?? "local-path", reclaimPolicy: "Delete", defaultVolumeType: "local" },
    // The chart's default /opt/local-path-provisioner is read-only on Talos (v1.9 "Local Storage");
    // the kubelet bind-mounts this path (lib/talos/patches.ts localPathMounts).
    nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: [localPathDataDir] }],
    resources: resourcesFor(app),
  };
}

/** The controller's containers share the app's reservation; the node plugin's three containers split the per-node one. */
export function nfsCsiValues(_ctx: unknown, app: AppRecord): Values {
  const perNode = perNodeResourcesFor(app, 1 / 3);
  return {
    controller: { replicas: 1, resources: { csiProvisioner: resourcesFor(app, 0.3), csiResizer: resourcesFor(app, 0.15), csiSnapshotter: resourcesFor(app, 0.15), livenessProbe: resourcesFor(app, 0.1), nfs: resourcesFor(app, 0.3) } },
    node: { resources: { livenessProbe: perNode, nodeDriverRegistrar: perNode, nfs: perNode } },
  };
}

/** The dataset under which the `nfs-media` class makes one directory per claim (exported by the host, lib/config/home.ts). */
export const nfsVolumesDataset = "media/volumes";

/** The media library's StorageClass on the NFS exports of the Proxmox host. */
export function nfsCsiObjects(ctx: ClusterContext): AppObject[] {
  return [
    {
      id: "nfs-media",
      object: {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "nfs-media" },
        provisioner: "nfs.csi.k8s.io",
        // An exported dataset: `/<pool>/media` itself is not exported, only its children are.
        parameters: { server: ctx.nfs.server, share: `/${ctx.nfs.pool}/${nfsVolumesDataset}`, subDir: "${pvc.metadata.namespace}-${pvc.metadata.name}" },
        reclaimPolicy: "Retain",
        volumeBindingMode: "Immediate",
        mountOptions: ["nfsvers=4.2", "hard", "noatime"],
      },
    },
  ];
}
