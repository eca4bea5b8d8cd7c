/**
 * The charts whose values schema and values.yaml are pinned, and what their templates read beyond
 * values.yaml: the platform's values are checked merged over the chart's defaults (as Helm does
 * before it validates) and every key the chart would ignore is reported.
 */
import type { ChartKey } from "../versions";
import { schemaValidator, type SchemaIssue } from "./schemas";
import { coalesceValues, unknownUserKeys } from "./helm-values";
import { loadSchemaFile } from "./schemas";

interface PinnedChartValues {
  /** `helm/<chart>-<version>`: the schema is `<base>.values.schema.json`, the defaults `<base>.values.yaml`. */
  base: string;
  /** Paths the templates read although values.yaml does not define them, each with where. */
  known: Readonly<Record<string, string>>;
}

export const pinnedChartValues: Partial<Record<ChartKey, PinnedChartValues>> = {
  certManager: { base: "helm/cert-manager-v1.21.1", known: {} },
  externalSecrets: {
    base: "helm/external-secrets-2.9.0",
    // A subchart's values (bitwarden-sdk-server v0.6.0 values.yaml: image.tls.enabled, secretName).
    known: { "bitwarden-sdk-server.image": "bitwarden-sdk-server v0.6.0 values.yaml image.tls" },
  },
  externalDns: { base: "helm/external-dns-1.21.1", known: {} },
  velero: { base: "helm/velero-12.1.0", known: {} },
  cilium: {
    base: "helm/cilium-1.17.3",
    // values.yaml l.2022 shows it commented out (`#kubeProxyReplacement: "false"`); cilium-configmap.yaml reads it.
    known: { kubeProxyReplacement: "cilium 1.17.3 templates/cilium-configmap.yaml .Values.kubeProxyReplacement" },
  },
  cloudnativePg: { base: "helm/cloudnative-pg-0.23.2", known: {} },
  twingateConnector: {
    base: "helm/twingate-connector-0.1.31",
    // deployment.yaml: `toYaml .Values.resources` — the whole map, limits included.
    known: { resources: "connector 0.1.31 templates/deployment.yaml toYaml .Values.resources" },
  },
};

/** The chart's own defaults (its values.yaml at the pinned version). */
export function chartDefaults(chart: ChartKey): unknown {
  const pinned = pinnedChartValues[chart];
  if (!pinned) throw new Error(`chart ${chart} has no pinned values.yaml`);
  return loadSchemaFile(`${pinned.base}.values.yaml`);
}

/** Schema problems of the values coalesced over the chart's defaults, as Helm validates them. */
export function chartSchemaIssues(chart: ChartKey, values: unknown): SchemaIssue[] {
  const pinned = pinnedChartValues[chart];
  if (!pinned) return [];
  const validate = schemaValidator(`${pinned.base}.values.schema.json`);
  const merged = coalesceValues(chartDefaults(chart), JSON.parse(JSON.stringify(values)) as unknown);
  if (validate(merged)) return [];
  return (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message ?? e.keyword }));
}

/** Keys of the values that the chart neither defines nor reads. */
export function unknownChartKeys(chart: ChartKey, values: unknown): string[] {
  const pinned = pinnedChartValues[chart];
  if (!pinned) return [];
  return unknownUserKeys(JSON.parse(JSON.stringify(values)) as unknown, chartDefaults(chart), Object.keys(pinned.known));
}
