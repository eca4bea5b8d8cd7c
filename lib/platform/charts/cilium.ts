import type { AppObject, AppRecord, Values } from "../../catalog/types";
import { labels } from "../../markers";
import { appsOn, type ClusterContext } from "../cluster-context";
import { gatewayNamespace, lanAddressing, lanTrafficPolicy } from "../lan";
import { perNodeResourcesFor, resourcesFor } from "../resources";
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
    operator: { replicas: 1, resources: resourcesFor(app) },
    // Per node: the agent and the standalone Envoy DaemonSet (on by default for new installs, 1.16+).
    resources: perNodeResourcesFor(app, 0.75),
    envoy: { resources: perNodeResourcesFor(app, 0.25) },
  };
}

/** The cluster's LAN Gateway (kube-system/homelab): the parent of every LAN route. */
export const lanGateway = { name: "homelab", namespace: gatewayNamespace, listener: "https" } as const;

/**
 * The HTTPRoutes of the cluster's LAN routes (lib/routes.ts lanRoutes): each in its backend's
 * namespace (no ReferenceGrant needed), on the Gateway's HTTPS listener, to the Service the tunnel
 * uses too (the app's, or the outpost's). Not annotated for external-dns: at home AdGuard answers
 * these names with the Gateway's address, and public DNS keeps pointing at the tunnel.
 */
export function lanHttpRoutes(ctx: ClusterContext): AppObject[] {
  return ctx.lanRoutes
    .filter((r) => r.cluster === ctx.cluster)
    .map((route) => ({
      id: `lan-route-${route.app}`,
      object: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "HTTPRoute",
        metadata: { name: `${route.app}-lan`, namespace: route.backend.namespace, labels: { [labels.exposure]: "lan", [labels.cluster]: ctx.cluster, [labels.app]: route.app } },
        spec: {
          parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: lanGateway.name, namespace: lanGateway.namespace, sectionName: lanGateway.listener }],
          hostnames: [route.hostname],
          rules: [{ backendRefs: [{ kind: "Service", name: route.backend.service, port: route.backend.port }] }],
        },
      },
    }));
}

/** At home: Cilium's LAN pool, L2 announcements of LAN-only Services, the LAN Gateway and its routes. */
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
        metadata: { name: lanGateway.name, namespace: lanGateway.namespace },
        spec: {
          gatewayClassName: "cilium",
          infrastructure: { annotations: lanAddressing(ctx, "gateway").annotations, labels: { [labels.exposure]: "lan", [labels.cluster]: ctx.cluster } },
          listeners: [
            {
              name: lanGateway.listener,
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
    ...lanHttpRoutes(ctx).map((route) => ({ ...route, after: [app.name] })),
  ];
}
