/**
 * How third-party charts name and number the Services the tunnel reaches, so that a tunnel origin
 * is computed from the release and the chart's own rule instead of written by hand. Each rule was
 * read in the chart's templates at the pinned version (docs/platform.md cites them).
 */
import type { ChartKey } from "../versions";
import { charts } from "../versions";

/**
 * Helm's usual fullname helper (`<chart>.fullname`): `fullnameOverride`, else the release name when
 * it already contains the name (`nameOverride`, default the chart's name), else `<release>-<name>`;
 * cut to `maxLength` without a trailing dash (63 for most charts).
 */
export function helmFullname(release: string, chartName: string, fullnameOverride?: string, maxLength = 63): string {
  const cut = (name: string) => name.slice(0, maxLength).replace(/-+$/, "");
  if (fullnameOverride) return cut(fullnameOverride);
  return cut(release.includes(chartName) ? release : `${release}-${chartName}`);
}

/** A Service of a chart: its name from the release (and the chart's fullname), and its port. */
export interface ServiceRule {
  name: (names: { release: string; fullname: string }) => string;
  port: number;
}

/** Per chart: its fullname rule, and each component the homelab routes to. */
interface ChartNaming {
  /** The chart's default `nameOverride` when it sets one (argo-cd: `argocd`), else its name. */
  name?: string;
  maxLength?: number;
  services: Readonly<Record<string, ServiceRule>>;
}

export const chartNaming: Partial<Record<ChartKey, ChartNaming>> = {
  // argo-cd 7.8.26: values.yaml sets `nameOverride: argocd`; `argo-cd.server.fullname` = `<fullname>-server`, port `server.service.servicePortHttp` 80.
  argocd: { name: "argocd", services: { server: { name: ({ fullname }) => `${fullname}-server`, port: 80 } } },
  // kube-prometheus-stack 70.4.2 cuts its fullname to 26 characters. Grafana 8.11 is a subchart
  // of the same release, named by its own rule (`<release>-grafana`, 63 characters), port 80.
  kubePrometheusStack: {
    maxLength: 26,
    services: {
      prometheus: { name: ({ fullname }) => `${fullname}-prometheus`, port: 9090 },
      alertmanager: { name: ({ fullname }) => `${fullname}-alertmanager`, port: 9093 },
      grafana: { name: ({ release }) => helmFullname(release, "grafana"), port: 80 },
    },
  },
  // Fixed names in the templates: cilium 1.17.3 `hubble-ui` (port 80), longhorn 1.8.1 `longhorn-frontend` (port 80).
  cilium: { services: { "hubble-ui": { name: () => "hubble-ui", port: 80 } } },
  longhorn: { services: { frontend: { name: () => "longhorn-frontend", port: 80 } } },
  // loki 6.29.0: `<fullname>-gateway`, port `gateway.service.port` 80.
  loki: { services: { gateway: { name: ({ fullname }) => `${fullname}-gateway`, port: 80 } } },
};

/** The rule of a chart component, or undefined when the chart has none for it. */
export function chartServiceRule(chart: ChartKey, component: string): ServiceRule | undefined {
  return chartNaming[chart]?.services[component];
}

/** The Service a chart release exposes for `component`, or undefined when the chart has no such rule. */
export function chartServiceName(chart: ChartKey, release: string, fullnameOverride: string | undefined, component: string): string | undefined {
  const naming = chartNaming[chart];
  const rule = naming?.services[component];
  if (!rule) return undefined;
  return rule.name({ release, fullname: helmFullname(release, naming?.name ?? charts[chart].chart, fullnameOverride, naming?.maxLength) });
}
