/**
 * Apps deployed with the bjw-s app-template chart: one compact spec per app (in its catalog
 * record), turned into app-template values (validated against the chart's upstream schema in the
 * tests). The Service is named after the app (`fullnameOverride`), so the tunnel origin follows
 * from name, namespace and port (lib/routes.ts); storage, databases, secrets and metrics follow
 * the conventions below so that every app looks the same to the admin.
 */
import { annotations, labels } from "../markers";
import type { AppRecord, BackupClass, Values } from "../catalog/types";
import { images, type ImageName } from "../versions";
import { volumeTool } from "../backup/classes";
import type { ClusterContext } from "./cluster-context";
import { lanAddressing } from "./lan";
import { reservationOf, k8sResources } from "./resources";

export interface MediaMount {
  /** Dataset under the pool (media/music …). */
  dataset: string;
  mountPath: string;
  readOnly: boolean;
  /**
   * Backup class of the dataset on the host (ZFS snapshots and the bulk copy); default `bulk`.
   * NFS media never enter Velero or the OCI bucket, whatever the class.
   */
  backup?: "bulk" | "none";
}

export interface TemplateAppSpec {
  image: ImageName;
  /** Port the container listens on (the Service's target port); a node agent has none. */
  containerPort?: number;
  args?: string[];
  env?: Record<string, string>;
  /** Env vars from Secret keys: name → [secret, key]. */
  secretEnv?: Record<string, [string, string]>;
  /** A PVC on the cluster's default class, mounted at `path`; `backup` overrides the app's class for this volume. */
  data?: { path: string; size: string; backup?: BackupClass };
  media?: MediaMount[];
  /** A CloudNativePG cluster `<app>-db`; `vectors` uses the VectorChord image (Immich). */
  database?: "postgres" | "vectors";
  /** Extra containers of the same pod (Immich's machine learning, Valkey). */
  sidecars?: Record<string, { image: ImageName; containerPort: number; args?: string[]; share: number }>;
  replicas?: number;
  /** Port of a Prometheus endpoint (/metrics): a `metrics` Service port and a ServiceMonitor. */
  metricsPort?: number;
  /** A config file copied once from a Secret into its own volume, then owned by the app. */
  seed?: { secret: string; file: string; into: string; size: string };
  /** Secrets mounted read-only (certificates). */
  secretMounts?: { secret: string; path: string }[];
  /** ConfigMaps mounted read-only (a config the program renders, e.g. Glance's dashboard). */
  configMounts?: { configMap: string; path: string }[];
  /** One key of a Secret mounted read-only as a file at `path` (the Twingate client's service key). */
  secretFiles?: { secret: string; key: string; path: string }[];
  /**
   * A node agent: one pod per node (a DaemonSet on every node, whatever its taints) in the node's
   * network namespace, privileged, with these host devices. For the Twingate client, whose TUN
   * device and routes must serve the kubelet's own NFS mounts. Its reservation is split per node.
   */
  nodeAgent?: { devices: readonly string[] };
}

/** Database connection variables from CloudNativePG's app secret. */
export function pgEnv(app: string, names: { host: string; port?: string; user: string; password: string; database: string }): Record<string, [string, string]> {
  const secret = `${app}-db-app`;
  return {
    [names.host]: [secret, "host"],
    ...(names.port ? { [names.port]: [secret, "port"] } : {}),
    [names.user]: [secret, "username"],
    [names.password]: [secret, "password"],
    [names.database]: [secret, "dbname"],
  };
}

function imageOf(name: ImageName): { repository: string; tag: string } {
  return { repository: images[name].repository, tag: images[name].tag };
}

/** The Service port: the one the tunnel reaches, else the container port. */
function servicePort(app: AppRecord, spec: TemplateAppSpec): number | undefined {
  return app.exposure.kind === "tunnel" ? app.exposure.port : spec.containerPort;
}

/** A PVC the chart creates for an app: its persistence key, its claim name and what it holds. */
export interface TemplateVolume {
  /** Key under `persistence` (also the pod volume's name, which Velero's opt-in annotation lists). */
  key: string;
  /** PVC name: common 4.1.1 appends `-<key>` as soon as the release has two PVCs (docs: r0-charts). */
  claimName: string;
  size: string;
  path: string;
  backup: BackupClass;
}

/** The PVCs of an app-template app, named as common 4.1.1 names them. */
export function templateVolumes(app: AppRecord, spec: TemplateAppSpec): TemplateVolume[] {
  const volumes: Omit<TemplateVolume, "claimName">[] = [];
  if (spec.data) volumes.push({ key: "data", size: spec.data.size, path: spec.data.path, backup: spec.data.backup ?? app.backup });
  // The seeded configuration becomes the app's own once copied: it is backed up like the app.
  if (spec.seed) volumes.push({ key: "conf", size: spec.seed.size, path: spec.seed.into, backup: app.backup });
  return volumes.map((v) => ({ ...v, claimName: volumes.length > 1 ? `${app.name}-${v.key}` : app.name }));
}

/** app-template values of one app on one cluster. */
export function appTemplateValues(app: AppRecord, spec: TemplateAppSpec, ctx: ClusterContext): Values {
  const reservation = reservationOf(app);
  // A node agent's reservation covers all its pods: each node's pod gets its share.
  const perPod = spec.nodeAgent ? 1 / Math.max(1, ctx.nodes.length) : 1;
  const resources = { ...reservation, cpuM: reservation.cpuM * perPod, memoryMi: reservation.memoryMi * perPod, ...(reservation.limitMemoryMi ? { limitMemoryMi: reservation.limitMemoryMi * perPod } : {}) };
  const sidecarShare = Object.values(spec.sidecars ?? {}).reduce((sum, s) => sum + s.share, 0);
  const env: Record<string, unknown> = {};
  for (const [name, [secret, key]] of Object.entries(spec.secretEnv ?? {})) env[name] = { valueFrom: { secretKeyRef: { name: secret, key } } };
  for (const [name, value] of Object.entries(spec.env ?? {})) env[name] = value;
  const containers: Record<string, unknown> = {
    app: {
      image: imageOf(spec.image),
      ...(spec.args ? { args: spec.args } : {}),
      ...(Object.keys(env).length > 0 ? { env } : {}),
      resources: k8sResources(resources, 1 - sidecarShare),
      ...(spec.nodeAgent ? { securityContext: { privileged: true } } : {}),
    },
  };
  for (const [name, sidecar] of Object.entries(spec.sidecars ?? {})) {
    containers[name] = { image: imageOf(sidecar.image), ...(sidecar.args ? { args: sidecar.args } : {}), resources: k8sResources(resources, sidecar.share) };
  }
  // A container that only serves metrics (cloudflared) gets just the metrics port.
  if (spec.containerPort === undefined && !spec.nodeAgent) throw new Error(`catalog app "${app.name}": an app-template spec needs containerPort (only a node agent serves nothing)`);
  const ports: Record<string, unknown> = spec.containerPort === undefined || spec.metricsPort === spec.containerPort ? {} : { http: { port: servicePort(app, spec), targetPort: spec.containerPort } };
  if (spec.metricsPort !== undefined) ports.metrics = { port: spec.metricsPort, targetPort: spec.metricsPort };
  // A node agent serves nothing: no Service.
  const service: Record<string, unknown> = spec.nodeAgent ? {} : { app: { controller: "app", ports } };
  if (app.exposure.kind === "lan" && ctx.lan) {
    // With two Services, common 4.1.1 names each `<fullname>-<identifier>`; the app's own keeps the
    // app's name, which the tunnel origins and routes use (lib/routes.ts).
    service.app = { ...(service.app as object), forceRename: app.name };
    // A fixed LAN address from Cilium LB-IPAM, announced on the LAN by L2; never the internet.
    // Shared with the Gateway on its address under LB-IPAM's rules (lib/platform/lan.ts).
    const addressing = lanAddressing(ctx, app.exposure.address);
    service.lan = {
      controller: "app",
      type: "LoadBalancer",
      annotations: addressing.annotations,
      labels: { [labels.exposure]: "lan", [labels.cluster]: ctx.cluster },
      loadBalancerSourceRanges: [ctx.lan.cidr],
      externalTrafficPolicy: addressing.externalTrafficPolicy,
      ports: Object.fromEntries(app.exposure.ports.map((p) => [p.name, { port: p.port, protocol: p.protocol, targetPort: p.port }])),
    };
  }
  const persistence: Record<string, unknown> = {};
  if (spec.data) {
    persistence.data = { type: "persistentVolumeClaim", storageClass: ctx.defaultStorageClass, accessMode: "ReadWriteOnce", size: spec.data.size, globalMounts: [{ path: spec.data.path }] };
  }
  for (const media of spec.media ?? []) {
    persistence[media.dataset.replace(/\//g, "-")] = {
      type: "nfs",
      server: ctx.nfs.server,
      path: `/${ctx.nfs.pool}/${media.dataset}`,
      globalMounts: [{ path: media.mountPath, readOnly: media.readOnly }],
    };
  }
  for (const mount of spec.configMounts ?? []) persistence[mount.configMap] = { type: "configMap", name: mount.configMap, globalMounts: [{ path: mount.path }] };
  for (const mount of spec.secretMounts ?? []) persistence[mount.secret] = { type: "secret", name: mount.secret, globalMounts: [{ path: mount.path, readOnly: true }] };
  for (const file of spec.secretFiles ?? []) {
    persistence[`${file.secret}-${file.key.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`] = {
      type: "secret",
      name: file.secret,
      defaultMode: 0o400,
      globalMounts: [{ path: file.path, subPath: file.key, readOnly: true }],
    };
  }
  for (const device of spec.nodeAgent?.devices ?? []) {
    persistence[device.split("/").pop()!] = { type: "hostPath", hostPath: device, hostPathType: "CharDevice", globalMounts: [{ path: device }] };
  }
  const initContainers: Record<string, unknown> = {};
  if (spec.seed) {
    persistence.conf = { type: "persistentVolumeClaim", storageClass: ctx.defaultStorageClass, accessMode: "ReadWriteOnce", size: spec.seed.size, globalMounts: [{ path: spec.seed.into }] };
    persistence.seed = { type: "secret", name: spec.seed.secret, advancedMounts: { app: { seed: [{ path: "/seed", readOnly: true }] } } };
    const target = `${spec.seed.into}/${spec.seed.file}`;
    initContainers.seed = {
      image: imageOf(spec.image),
      command: ["/bin/sh", "-c", `[ -f ${target} ] || cp /seed/${spec.seed.file} ${target}`],
      resources: k8sResources(resources, 0.05),
    };
  }
  const podLabels = { [labels.cluster]: ctx.cluster, [labels.app]: app.name };
  // Velero copies only the volumes whose class makes it their tool; NFS media are never listed.
  const veleroVolumes = templateVolumes(app, spec).filter((v) => volumeTool(v.backup) === "velero-fsb").map((v) => v.key);
  const podAnnotations = veleroVolumes.length > 0 ? { annotations: { [annotations.veleroBackupVolumes]: veleroVolumes.join(",") } } : {};
  return {
    fullnameOverride: app.name,
    defaultPodOptions: spec.nodeAgent
      ? {
          labels: podLabels,
          ...podAnnotations,
          hostNetwork: true,
          dnsPolicy: "ClusterFirstWithHostNet",
          priorityClassName: "system-node-critical",
          tolerations: [{ operator: "Exists" }],
        }
      : { labels: podLabels, ...podAnnotations },
    controllers: {
      app: {
        ...(spec.nodeAgent ? { type: "daemonset" } : { replicas: spec.replicas ?? 1 }),
        // One writer at a time for apps with a ReadWriteOnce volume.
        strategy: spec.data ? "Recreate" : "RollingUpdate",
        ...(Object.keys(initContainers).length > 0 ? { initContainers } : {}),
        containers,
      },
    },
    service,
    ...(Object.keys(persistence).length > 0 ? { persistence } : {}),
  };
}
