/**
 * Apps deployed with the bjw-s app-template chart: one compact spec per app (in its catalog
 * record), turned into app-template values (validated against the chart's upstream schema in the
 * tests). The Service is named after the app (`fullnameOverride`), so the tunnel origin follows
 * from name, namespace and port (lib/routes.ts); storage, databases, secrets, metrics and the
 * first-boot setup container follow the conventions below so that every app looks the same to
 * the admin.
 */
import { annotations, labels } from "../markers";
import type { AppRecord, BackupClass, Values } from "../catalog/types";
import { images, type ImageName } from "../versions";
import { volumeTool } from "../backup/classes";
import { devicesFor, type ClusterContext } from "./cluster-context";
import { lanAddressing } from "./lan";
import { reservationOf, k8sResources, type K8sResources } from "./resources";
import { oidcClient } from "../identity/oidc-client";
import { setupConfigMapName, setupDigest, setupPaths, setupScriptOf } from "./setup";

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

/** A PVC on the cluster's default class: everything the app writes and must keep. */
export interface DataVolume {
  path: string;
  size: string;
  /** Its key (and the PVC's suffix when there are several): default `data` for the first, else the path's last segment. */
  name?: string;
  /** Overrides the app's backup class for this volume (e.g. bulk for a family's files). */
  backup?: BackupClass;
}

/** An env value that refers to other variables with `$(NAME)`: Kubernetes expands only variables listed before it. */
export interface EnvWithDependencies {
  value: string;
  dependsOn: readonly string[];
}

export interface TemplateAppSpec {
  image: ImageName;
  /** Port the container listens on (the Service's target port); a node agent has none. */
  containerPort?: number;
  command?: string[];
  args?: string[];
  env?: Record<string, string | EnvWithDependencies>;
  /** Env vars from Secret keys: name → [secret, key]. */
  secretEnv?: Record<string, [string, string]>;
  /** Secrets whose keys become env vars when the Secret exists (the app starts without them until it does). */
  optionalEnvFrom?: string[];
  /** PVCs on the cluster's default class: every path the app writes and keeps (one or several). */
  data?: DataVolume | readonly DataVolume[];
  media?: MediaMount[];
  /** A CloudNativePG cluster `<app>-db`; `vectors` uses the VectorChord image (Immich). */
  database?: "postgres" | "vectors";
  /** Extra containers of the same pod (Immich's machine learning, Valkey, Invidious' companion). */
  sidecars?: Record<string, { image: ImageName; containerPort: number; args?: string[]; share: number; env?: Record<string, string>; secretEnv?: Record<string, [string, string]> }>;
  replicas?: number;
  /** Port of a Prometheus endpoint (/metrics): a `metrics` Service port and a ServiceMonitor. */
  metricsPort?: number;
  /**
   * Config files copied once from a Secret (or ConfigMap) into a data volume, then owned by the
   * app; `then` is a shell command run after the copy in the same init container (the app's
   * image, with every volume), e.g. creating a database schema.
   */
  seed?: { from: { secret: string } | { configMap: string }; files: readonly string[]; into: string; then?: string };
  /** Secrets mounted read-only (certificates, a rendered config file). */
  secretMounts?: { secret: string; path: string }[];
  /** ConfigMaps mounted read-only (a config the program renders, e.g. Glance's dashboard); `mode` for executable hooks. */
  configMounts?: { configMap: string; path: string; mode?: number }[];
  /** Pins the pod to nodes (the node with the reserved public IP, the worker with the USB dongle). */
  nodeSelector?: Record<string, string>;
  /** The pod shares the node's network (discovery by mDNS/SSDP on the LAN, Home Assistant). */
  hostNetwork?: boolean;
  /** Device files of the node passed into the app's container (a Zigbee/Z-Wave USB stick); makes it privileged. */
  devices?: { hostPath: string; path: string }[];
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

/**
 * The PVCs of an app-template app, named as common 4.1.1 names them. Seeded files live on one of
 * them (`seed.into` must be on a data volume), so they are backed up with it.
 */
export function templateVolumes(app: AppRecord, spec: TemplateAppSpec): TemplateVolume[] {
  const volumes = dataVolumes(spec).map((v) => ({ key: v.name, size: v.size, path: v.path, backup: v.backup ?? app.backup }));
  return volumes.map((v) => ({ ...v, claimName: volumes.length > 1 ? `${app.name}-${v.key}` : app.name }));
}

/** The node an app is pinned to by its placement (kubernetes.io/hostname is the Talos hostname, the instance's name on OCI). */
function pinnedNode(app: AppRecord, ctx: ClusterContext): Record<string, string> {
  if (app.placement.kind !== "cluster" || app.placement.pinned !== "static-egress") return {};
  if (!ctx.staticEgressNode) {
    throw new Error(`catalog app "${app.name}" runs on the node with a reserved public IP, and ${ctx.cluster} has none: set reservedPublicIp: true on one talos instance of homelab:oci.instances`);
  }
  return { "kubernetes.io/hostname": ctx.staticEgressNode };
}

/** The spec's data volumes with their keys. */
export function dataVolumes(spec: TemplateAppSpec): (DataVolume & { name: string })[] {
  const list: readonly DataVolume[] = spec.data === undefined ? [] : "path" in spec.data ? [spec.data as DataVolume] : (spec.data as readonly DataVolume[]);
  return list.map((v, i) => ({ ...v, name: v.name ?? (i === 0 ? "data" : v.path.split("/").filter(Boolean).pop()!.toLowerCase()) }));
}

/** What the setup container asks: little, it sleeps once the claim is done. */
export const setupResources: K8sResources = { requests: { cpu: "5m", memory: "16Mi" }, limits: { memory: "64Mi" } };

function envValues(env: Record<string, string | EnvWithDependencies> = {}, secretEnv: Record<string, [string, string]> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, [secret, key]] of Object.entries(secretEnv)) out[name] = { valueFrom: { secretKeyRef: { name: secret, key } } };
  for (const [name, value] of Object.entries(env)) out[name] = typeof value === "string" ? value : { value: value.value, dependsOn: [...value.dependsOn] };
  return out;
}

/** app-template values of one app on one cluster. */
export function appTemplateValues(app: AppRecord, spec: TemplateAppSpec, ctx: ClusterContext): Values {
  const reservation = reservationOf(app);
  // A node agent's reservation covers all its pods: each node's pod gets its share.
  const perPod = spec.nodeAgent ? 1 / Math.max(1, ctx.nodes.length) : 1;
  const resources = { ...reservation, cpuM: reservation.cpuM * perPod, memoryMi: reservation.memoryMi * perPod, ...(reservation.limitMemoryMi ? { limitMemoryMi: reservation.limitMemoryMi * perPod } : {}) };
  const sidecarShare = Object.values(spec.sidecars ?? {}).reduce((sum, s) => sum + s.share, 0);
  const env = envValues(spec.env, spec.secretEnv);
  // The USB sticks homelab:usbDevices lists for the app, attached to one VM: passed in, and the pod runs there.
  const usb = app.takesUsbDevices ? devicesFor(ctx, app.name) : [];
  const devices = [...(spec.devices ?? []), ...usb.map((d) => ({ hostPath: d.path, path: d.path }))];
  const privileged = devices.length > 0;
  const containers: Record<string, unknown> = {
    app: {
      image: imageOf(spec.image),
      ...(spec.command ? { command: spec.command } : {}),
      ...(spec.args ? { args: spec.args } : {}),
      ...(Object.keys(env).length > 0 ? { env } : {}),
      ...(spec.optionalEnvFrom ? { envFrom: spec.optionalEnvFrom.map((name) => ({ secretRef: { name, optional: true } })) } : {}),
      resources: k8sResources(resources, 1 - sidecarShare),
      // A node agent and a USB device node need the device cgroup rules only a privileged container gets.
      ...(spec.nodeAgent || privileged ? { securityContext: { privileged: true } } : {}),
    },
  };
  for (const [name, sidecar] of Object.entries(spec.sidecars ?? {})) {
    const sidecarEnv = envValues(sidecar.env, sidecar.secretEnv);
    containers[name] = {
      image: imageOf(sidecar.image),
      ...(sidecar.args ? { args: sidecar.args } : {}),
      ...(Object.keys(sidecarEnv).length > 0 ? { env: sidecarEnv } : {}),
      resources: k8sResources(resources, sidecar.share),
    };
  }
  const setupScript = setupScriptOf(ctx, app);
  if (setupScript !== undefined) {
    containers.setup = {
      image: imageOf("setup"),
      command: ["/bin/sh", `${setupPaths.script}/setup.sh`],
      resources: setupResources,
      // Ready only once the first-run endpoint is claimed: until then the Service has no endpoint.
      probes: { readiness: { enabled: true, custom: true, spec: { exec: { command: ["test", "-f", setupPaths.done] }, periodSeconds: 5, failureThreshold: 1 } } },
    };
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
  for (const volume of dataVolumes(spec)) {
    persistence[volume.name] = { type: "persistentVolumeClaim", storageClass: ctx.defaultStorageClass, accessMode: "ReadWriteOnce", size: volume.size, globalMounts: [{ path: volume.path }] };
  }
  for (const media of spec.media ?? []) {
    persistence[media.dataset.replace(/\//g, "-")] = {
      type: "nfs",
      server: ctx.nfs.server,
      path: `/${ctx.nfs.pool}/${media.dataset}`,
      globalMounts: [{ path: media.mountPath, readOnly: media.readOnly }],
    };
  }
  for (const mount of spec.configMounts ?? []) {
    persistence[mount.configMap] = { type: "configMap", name: mount.configMap, ...(mount.mode !== undefined ? { defaultMode: mount.mode } : {}), advancedMounts: { app: { app: [{ path: mount.path, readOnly: true }] } } };
  }
  for (const mount of spec.secretMounts ?? []) persistence[mount.secret] = { type: "secret", name: mount.secret, advancedMounts: { app: { app: [{ path: mount.path, readOnly: true }] } } };
  for (const [index, device] of devices.entries()) {
    persistence[`device-${index}`] = { type: "hostPath", hostPath: device.hostPath, hostPathType: "CharDevice", advancedMounts: { app: { app: [{ path: device.path }] } } };
  }
  if (setupScript !== undefined && app.firstBoot?.mode === "claimed-by-setup") {
    persistence["setup-script"] = { type: "configMap", name: setupConfigMapName(app.name), advancedMounts: { app: { setup: [{ path: setupPaths.script, readOnly: true }] } } };
    persistence["setup-secret"] = { type: "secret", name: app.firstBoot.secret, advancedMounts: { app: { setup: [{ path: setupPaths.secrets, readOnly: true }] } } };
    if (app.auth === "oidc") {
      const oidcSecret = oidcClient(ctx.domain, ctx.apps, app).secret.name;
      persistence["setup-oidc"] = { type: "secret", name: oidcSecret, advancedMounts: { app: { setup: [{ path: setupPaths.oidc, readOnly: true }] } } };
    }
  }
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
    const seed = spec.seed;
    if (!dataVolumes(spec).some((v) => seed.into === v.path || seed.into.startsWith(`${v.path}/`))) {
      throw new Error(`catalog app "${app.name}": seed.into ${seed.into} is on no data volume, so the seeded files would not survive a restart`);
    }
    persistence.seed = { type: "secret" in seed.from ? "secret" : "configMap", name: "secret" in seed.from ? seed.from.secret : seed.from.configMap, advancedMounts: { app: { seed: [{ path: "/seed", readOnly: true }] } } };
    const copies = seed.files.map((file) => `[ -f ${seed.into}/${file} ] || cp /seed/${file} ${seed.into}/${file}`);
    initContainers.seed = {
      image: imageOf(spec.image),
      command: ["/bin/sh", "-c", ["set -e", `mkdir -p ${seed.into}`, ...copies, ...(seed.then ? [seed.then] : [])].join("; ")],
      resources: k8sResources(resources, 0.05),
    };
  }
  // Velero copies only the volumes whose class makes it their tool; NFS media are never listed.
  const veleroVolumes = templateVolumes(app, spec).filter((v) => volumeTool(v.backup) === "velero-fsb").map((v) => v.key);
  const podAnnotations = {
    ...(veleroVolumes.length > 0 ? { [annotations.veleroBackupVolumes]: veleroVolumes.join(",") } : {}),
    ...(setupScript !== undefined ? { "homelab.dev/setup-digest": setupDigest(setupScript) } : {}),
  };
  const nodeSelector = { ...pinnedNode(app, ctx), ...(usb[0] ? { "kubernetes.io/hostname": usb[0].node } : {}), ...spec.nodeSelector };
  return {
    fullnameOverride: app.name,
    defaultPodOptions: {
      labels: { [labels.cluster]: ctx.cluster, [labels.app]: app.name },
      ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
      ...(Object.keys(nodeSelector).length > 0 ? { nodeSelector } : {}),
      // On the node's network the cluster DNS still resolves Services (Kubernetes dnsPolicy docs).
      ...(spec.hostNetwork || spec.nodeAgent ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
      ...(spec.nodeAgent ? { priorityClassName: "system-node-critical", tolerations: [{ operator: "Exists" }] } : {}),
    },
    controllers: {
      app: {
        ...(spec.nodeAgent ? { type: "daemonset" } : { replicas: spec.replicas ?? 1 }),
        // One writer at a time for apps with a ReadWriteOnce volume (and one owner of a host port).
        strategy: dataVolumes(spec).length > 0 || spec.hostNetwork ? "Recreate" : "RollingUpdate",
        ...(Object.keys(initContainers).length > 0 ? { initContainers } : {}),
        containers,
      },
    },
    service,
    ...(Object.keys(persistence).length > 0 ? { persistence } : {}),
  };
}
