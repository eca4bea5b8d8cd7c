/**
 * How third-party charts name the Services the tunnel reaches, so that a tunnel origin is
 * computed from the release and the chart's own naming rule instead of written by hand.
 * Each rule was read in the chart's templates at the pinned version (docs/platform.md cites them).
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

/** Per chart: its fullname rule, and the Service name of each component the homelab routes to. */
interface ChartNaming {
  /** The chart's default `nameOverride` when it sets one (argo-cd: `argocd`), else its name. */
  name?: string;
  maxLength?: number;
  services: Readonly<Record<string, (fullname: string) => string>>;
}

export const chartNaming: Partial<Record<ChartKey, ChartNaming>> = {
  // argo-cd: values.yaml sets `nameOverride: argocd`; `argo-cd.server.fullname` = `<fullname>-server`.
  argocd: { name: "argocd", services: { server: (fullname) => `${fullname}-server` } },
  // kube-prometheus-stack truncates its fullname to 26 characters; Grafana is a subchart of the same release.
  kubePrometheusStack: {
    maxLength: 26,
    services: {
      prometheus: (fullname) => `${fullname}-prometheus`,
      alertmanager: (fullname) => `${fullname}-alertmanager`,
      grafana: (fullname) => `${fullname}-grafana`,
    },
  },
  // Fixed names in the chart's templates.
  cilium: { services: { "hubble-ui": () => "hubble-ui" } },
  longhorn: { services: { frontend: () => "longhorn-frontend" } },
  loki: { services: { gateway: (fullname) => `${fullname}-gateway` } },
};

/** The Service a chart release exposes for `component`, or undefined when the chart has no such rule. */
export function chartServiceName(chart: ChartKey, release: string, fullnameOverride: string | undefined, component: string): string | undefined {
  const naming = chartNaming[chart];
  const service = naming?.services[component];
  if (!service) return undefined;
  return service(helmFullname(release, naming?.name ?? charts[chart].chart, fullnameOverride, naming?.maxLength));
}
