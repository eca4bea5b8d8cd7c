/**
 * Pod Security on Talos: every namespace is `baseline` unless labelled otherwise, except
 * kube-system (`privileged`) — Talos v1.9 "Pod Security". `baseline` refuses hostPath volumes,
 * host namespaces and privileged containers, so a chart whose pods need them stays without pods
 * unless its namespace carries the `privileged` labels. This module says, from the values, which
 * releases need them, and checks the namespaces the platform creates.
 */
import type { Values } from "../catalog/types";
import { podSecurityLabels } from "../markers";
import type { ChartKey } from "../versions";
import type { PlannedApplication } from "./argocd-applications";
import type { KubernetesDocument } from "./documents";
import { enabled, valueAt } from "./values-path";

/** Namespaces Talos runs `privileged` whatever their labels. */
export const talosPrivilegedNamespaces: readonly string[] = ["kube-system"];

/** The Pod Security labels of a namespace whose pods need host access: enforce, and no warnings on every sync. */
export const privilegedNamespaceLabels: Readonly<Record<string, string>> = {
  [podSecurityLabels.enforce]: "privileged",
  [podSecurityLabels.audit]: "privileged",
  [podSecurityLabels.warn]: "privileged",
};

const hostPathItems = (items: unknown): boolean => Array.isArray(items) && items.some((v) => (v as { hostPath?: unknown }).hostPath !== undefined);

/** Per chart: why its pods need more than `baseline` with these values (read in its templates), or undefined. */
const chartPrivilegeNeeds: Partial<Record<ChartKey, (values: Values) => string | undefined>> = {
  cilium: () => "the agent runs privileged on the host network",
  csiDriverNfs: () => "the node plugin is privileged and mounts the kubelet's directories",
  longhorn: () => "the manager and instance managers are privileged and use hostPath",
  // local-path-provisioner: the helper pods that create and delete volumes mount the data path (hostPath).
  localPath: () => "its helper pods mount the node's data path (hostPath)",
  // velero 12.1.0 node-agent: hostPath /var/lib/kubelet/pods.
  velero: (v) => (enabled(v, "deployNodeAgent", false) ? "the node agent mounts /var/lib/kubelet/pods (hostPath)" : undefined),
  // prometheus-node-exporter (a KPS subchart, enabled by default): host network, PID and filesystem.
  kubePrometheusStack: (v) => (enabled(v, "nodeExporter.enabled", true) ? "node-exporter uses the host's network, PIDs and filesystem" : undefined),
  alloy: (v) =>
    enabled(v, "controller.hostPID", false) || enabled(v, "controller.hostNetwork", false) || enabled(v, "alloy.mounts.varlog", false) || hostPathItems(valueAt(v, "controller.volumes.extra"))
      ? "it reads the host's /proc, /sys and files (hostPath, host PID and network)"
      : undefined,
  twingateConnector: (v) => (enabled(v, "hostNetwork", false) ? "the connector runs on the host network" : undefined),
  appTemplate: (v) => {
    if (enabled(v, "defaultPodOptions.hostNetwork", false)) return "it runs on the host network (defaultPodOptions.hostNetwork)";
    const hostPath = Object.entries((v.persistence ?? {}) as Record<string, { type?: string }>).find(([, item]) => item.type === "hostPath");
    return hostPath ? `persistence.${hostPath[0]} is a hostPath` : undefined;
  },
};

/** Why the release's pods need the `privileged` level, if they do. */
export function privilegeNeed(planned: Pick<PlannedApplication, "chart" | "values">): string | undefined {
  return chartPrivilegeNeeds[planned.chart]?.(planned.values);
}

/** Every release whose pods need host access lives in a namespace labelled `privileged` (or one Talos runs privileged). */
export function podSecurityProblems(cluster: string, applications: readonly PlannedApplication[], namespaces: readonly KubernetesDocument[]): string[] {
  const problems: string[] = [];
  for (const planned of applications) {
    const need = privilegeNeed(planned);
    if (!need || talosPrivilegedNamespaces.includes(planned.namespace)) continue;
    const labels = namespaces.find((n) => n.metadata.name === planned.namespace)?.metadata.labels ?? {};
    const missing = Object.entries(privilegedNamespaceLabels).filter(([k, v]) => labels[k] !== v).map(([k]) => k);
    if (missing.length > 0) {
      problems.push(`${cluster}/${planned.app.name}: ${need}, but namespace ${planned.namespace} lacks ${missing.join(", ")}=privileged; Talos enforces baseline there, so its pods would never start (mark the catalog record privileged)`);
    }
  }
  return problems;
}
