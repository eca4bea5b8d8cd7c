/**
 * Talos machine-configuration patches (strategic merge, v1alpha1), as data. Every patch the
 * program renders, and every patch from config, is checked against the upstream Talos v1.9
 * config schema before any resource is registered (lib/talos/omni.ts).
 */
import { versions } from "../versions";

/** A v1alpha1 patch: a partial machine configuration. */
export interface TalosPatch {
  machine?: Record<string, unknown>;
  cluster?: Record<string, unknown>;
}

/** Where a patch applies inside a cluster template. */
export type PatchTarget = "cluster" | "control-plane" | "workers";

export interface NamedPatch {
  /** Omni patch name (kebab-case): becomes part of the ConfigPatch id. */
  name: string;
  target: PatchTarget;
  patch: TalosPatch;
}

/** Cilium replaces the default CNI and kube-proxy (story 1.5.1); KubePrism keeps the API reachable for it. */
export const ciliumReady: TalosPatch = {
  cluster: { network: { cni: { name: "none" } }, proxy: { disabled: true } },
  machine: { features: { kubePrism: { enabled: true, port: 7445 } } },
};

/** A host directory bind-mounted into the kubelet with shared propagation, so that volumes under it are seen by the pods (Talos v1.9 "Local Storage"). */
function kubeletDataMount(path: string): TalosPatch {
  return { machine: { kubelet: { extraMounts: [{ destination: path, type: "bind", source: path, options: ["bind", "rshared", "rw"] }] } } };
}

/** Longhorn's data directory (its chart's default `defaultSettings.defaultDataPath`), story 3.1.3. */
export const longhornDataDir = "/var/lib/longhorn";
export const longhornMounts: TalosPatch = kubeletDataMount(longhornDataDir);

/** local-path's data directory: under /var, because Talos' /opt (the chart's default) is read-only. */
export const localPathDataDir = "/var/local-path-provisioner";
export const localPathMounts: TalosPatch = kubeletDataMount(localPathDataDir);

/** A single node runs workloads on its control plane (DEV, story 1.2.2; CLOUD's first node). */
export const scheduleOnControlPlane: TalosPatch = { cluster: { allowSchedulingOnControlPlanes: true } };

/** Kubelet serving certificates signed by the cluster, so metrics-server and Prometheus can verify them. */
export const kubeletCertificates: TalosPatch = {
  machine: { kubelet: { extraArgs: { "rotate-server-certificates": "true" } } },
};

/**
 * The kubelets ask for serving certificates that nothing in Kubernetes approves: without an
 * approver the CSRs stay Pending, the kubelets serve no TLS, and `kubectl logs/exec` and the
 * kubelet scrapes fail (Talos v1.9 "Deploying Metrics Server"). Applied by Talos at bootstrap from
 * the pinned release's manifest (namespace `kubelet-serving-cert-approver`, restricted).
 */
export const kubeletServingCertApproverManifest = `https://raw.githubusercontent.com/alex1989hu/kubelet-serving-cert-approver/${versions.kubeletServingCertApprover}/deploy/standalone-install.yaml`;
export const kubeletServingCertApprover: TalosPatch = { cluster: { extraManifests: [kubeletServingCertApproverManifest] } };

/**
 * Machine-config fields the program owns: its own patches set them (a spec keeps this list
 * covering every value they set), or they carry a version or an image the program chooses from
 * config. A patch from config that touches one would undo what the platform depends on.
 */
export const programOwnedFields: readonly { path: string; why: string; fix?: string }[] = [
  { path: "cluster.network.cni", why: "Cilium is the cluster's CNI (story 1.5.1), and another CNI, flannel included, would fight it" },
  { path: "cluster.proxy", why: "Cilium replaces kube-proxy (story 1.5.1), so kube-proxy stays disabled" },
  { path: "machine.features.kubePrism", why: "Cilium reaches the API server through KubePrism on port 7445" },
  { path: "machine.kubelet.extraArgs.rotate-server-certificates", why: "metrics-server and Prometheus verify the kubelet's serving certificate" },
  { path: "cluster.allowSchedulingOnControlPlanes", why: "the cluster's roster decides where workloads run (lib/machines.ts)" },
  { path: "cluster.apiServer.image", why: "the Kubernetes version comes from homelab:kubernetesVersion", fix: "set homelab:kubernetesVersion instead" },
  { path: "cluster.controllerManager.image", why: "the Kubernetes version comes from homelab:kubernetesVersion", fix: "set homelab:kubernetesVersion instead" },
  { path: "cluster.scheduler.image", why: "the Kubernetes version comes from homelab:kubernetesVersion", fix: "set homelab:kubernetesVersion instead" },
  { path: "machine.kubelet.image", why: "the Kubernetes version comes from homelab:kubernetesVersion", fix: "set homelab:kubernetesVersion instead" },
  { path: "cluster.etcd.image", why: "etcd's version follows the Talos release Omni installs (homelab:talosVersion)", fix: "set homelab:talosVersion instead" },
  { path: "machine.install.image", why: "the Talos version and image come from homelab:talosVersion and the program's Image Factory schematic", fix: "set homelab:talosVersion instead" },
  { path: "machine.install.extensions", why: "system extensions come from the program's Image Factory schematic (lib/talos/schematic.ts)" },
  { path: "cluster.clusterName", why: "Omni names the cluster after its template" },
  { path: "cluster.controlPlane.endpoint", why: "Omni sets the control plane endpoint" },
];

/** The value paths (a.b.c) a patch sets: objects are walked, anything else (lists included) is a leaf. */
export function patchLeafPaths(patch: unknown, prefix = ""): string[] {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return prefix === "" ? [] : [prefix];
  // An empty object sets nothing.
  return Object.entries(patch).flatMap(([key, value]) => patchLeafPaths(value, prefix === "" ? key : `${prefix}.${key}`));
}

/** The owned field a path falls under (or that falls under it), if any. */
export function ownedFieldAt(path: string): (typeof programOwnedFields)[number] | undefined {
  return programOwnedFields.find((field) => path === field.path || path.startsWith(`${field.path}.`) || field.path.startsWith(`${path}.`));
}
