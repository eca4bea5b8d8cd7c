import type { AppObject, AppRecord, Values } from "../../catalog/types";
import { labels } from "../../markers";
import { appsOn, type ClusterContext } from "../cluster-context";
import { gatewayNamespace, lanAddressing, lanTrafficPolicy } from "../lan";
import { resourcesFor } from "../resources";
import { wildcardSecret } from "./cert-manager";

/**
 * Cilium on Talos (Talos docs "Deploying Cilium CNI"): kube-proxy replacement through KubePrism
 * (localhost:7445), the capabilities Talos allows, cgroup mounts Talos provides; Gateway API,
 * Hubble relay (and its UI where the Hubble app runs), WireGuard between nodes; LB-IPAM with L2
 * announcements on home clusters.
 */
export function ciliumValues(ctx: ClusterContext, app: AppRecord): Values {
  const home = ctx.lan !== undefined;
  const hubbleUi = appsOn(ctx).some((a) => a.deploy?.kind === "part-of" && a.deploy.app === app.name && a.deploy.component === "hubble-ui");
  return {
    ipam: { mode: "kubernetes" },
    kubeProxyReplacement: true,
    k8sServiceHost: "localhost",
    k8sServicePort: 7445,
    securityContext: {
      capabilities: {
        ciliumAgent: ["CHOWN", "KILL", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "SYS_ADMIN", "SYS_RESOURCE", "DAC_OVERRIDE", "FOWNER", "SETGID", "SETUID"],
        cleanCiliumState: ["NET_ADMIN", "SYS_ADMIN", "SYS_RESOURCE"],
      },
    },
    cgroup: { autoMount: { enabled: false }, hostRoot: "/sys/fs/cgroup" },
    // The GatewayClass is created whatever the render-time capabilities ("auto" asks the API at
    // render time); the Gateway's LoadBalancer keeps `Cluster`, which LB-IPAM sharing compares (lib/platform/lan.ts).
    gatewayAPI: { enabled: true, gatewayClass: { create: "true" }, externalTrafficPolicy: lanTrafficPolicy },
    encryption: { enabled: true, type: "wireguard" },
    hubble: {
      enabled: true,
      // `helm` (the default) generates new certificates at every render, so ArgoCD would see the
      // Secrets change on every refresh and never stay Synced. certgen's Job and CronJob create and
      // renew them outside the release instead (values.yaml hubble.tls.auto.method).
      tls: { auto: { enabled: true, method: "cronJob", certValidityDuration: 1095, schedule: "0 0 1 */4 *" } },
      relay: { enabled: true },
      ui: { enabled: hubbleUi },
    },
    l2announcements: { enabled: home },
    externalIPs: { enabled: home },
    operator: { replicas: 1, resources: resourcesFor(app, 0.3) },
    resources: resourcesFor(app, 0.7 / Math.max(1, ctx.nodes.length)),
  };
}

/** At home: Cilium's LAN pool, L2 announcements of LAN-only Services, and the LAN Gateway. */
export function ciliumObjects(ctx: ClusterContext, app: AppRecord): AppObject[] {
  if (!ctx.lan) return [];
  const certManager = appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === "certManager");
  if (!certManager) throw new Error(`cluster ${ctx.cluster}: the LAN Gateway needs cert-manager for its certificate`);
  return [
    { id: "lb-pool", object: { apiVersion: "cilium.io/v2alpha1", kind: "CiliumLoadBalancerIPPool", metadata: { name: "lan" }, spec: { blocks: [{ cidr: ctx.lan.loadBalancerPool }] } } },
    {
      id: "l2-announcements",
      object: {
        apiVersion: "cilium.io/v2alpha1",
        kind: "CiliumL2AnnouncementPolicy",
        metadata: { name: "lan" },
        // Only Services the catalog marks LAN-only are announced.
        spec: { loadBalancerIPs: true, serviceSelector: { matchLabels: { [labels.exposure]: "lan" } }, interfaces: ["^e.*"] },
      },
    },
    {
      id: "gateway",
      after: [app.name, certManager.name],
      object: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: { name: "homelab", namespace: gatewayNamespace },
        spec: {
          gatewayClassName: "cilium",
          infrastructure: { annotations: lanAddressing(ctx, "gateway").annotations, labels: { [labels.exposure]: "lan", [labels.cluster]: ctx.cluster } },
          listeners: [
            {
              name: "https",
              protocol: "HTTPS",
              port: 443,
              hostname: `*.${ctx.domain}`,
              tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: wildcardSecret }] },
              allowedRoutes: { namespaces: { from: "All" } },
            },
          ],
        },
      },
    },
  ];
}
