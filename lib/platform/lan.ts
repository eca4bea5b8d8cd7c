/**
 * The home LAN addresses Cilium LB-IPAM hands out, and how several LoadBalancers share one. The
 * Gateway (namespace kube-system) and the app Services the catalog puts on the Gateway's address
 * (Home Assistant's 8123) share `gatewayIp`; AdGuard Home has `dnsIp` to itself, because its DoH
 * port 443 is also the Gateway's.
 *
 * Cilium 1.17 lets two Services share an address only when (operator/pkg/lbipam/service_store.go,
 * `isCompatible`): they carry the same `lbipam.cilium.io/sharing-key`; across namespaces, each
 * names the other's namespace (or `*`) in `lbipam.cilium.io/sharing-cross-namespace`; no port
 * number is used by both (whatever the protocol); they have the same externalTrafficPolicy; and
 * with `Local`, the same non-empty selector. Otherwise the second one stays `<pending>`.
 */
import type { AppRecord } from "../catalog/types";
import { ConfigError } from "../config/errors";
import { annotations } from "../markers";
import type { PlannedApplication } from "./argocd-applications";
import { appsOn, type ClusterContext } from "./cluster-context";
import type { PlatformObject } from "./objects";
import { valueOr } from "./values-path";

export type LanAddress = "gateway" | "dns";
export type TrafficPolicy = "Cluster" | "Local";

/** The Gateway's LoadBalancer uses Cilium's chart-wide `gatewayAPI.externalTrafficPolicy`; everything sharing its address uses the same. */
export const lanTrafficPolicy: TrafficPolicy = "Cluster";

/** Namespace of the LAN Gateway (Cilium creates its Service `cilium-gateway-<name>` there). */
export const gatewayNamespace = "kube-system";

/** Who stands on an address: the Gateway (gateway address) and the cluster apps the catalog puts there. */
function occupants(ctx: ClusterContext, address: LanAddress): { namespace: string; app?: AppRecord }[] {
  const apps = appsOn(ctx).filter((a) => a.exposure.kind === "lan" && a.exposure.address === address);
  return [
    ...(address === "gateway" ? [{ namespace: gatewayNamespace }] : []),
    ...apps.map((app) => ({ namespace: app.placement.kind === "cluster" ? app.placement.namespace : "", app })),
  ];
}

export interface LanAddressing {
  ip: string;
  /** LB-IPAM annotations: the fixed address, plus the sharing key and namespaces when it is shared. */
  annotations: Record<string, string>;
  externalTrafficPolicy: TrafficPolicy;
}

/**
 * How a LoadBalancer on `address` asks for it. Alone on its address, a Service keeps `Local` (the
 * app sees its clients' addresses: AdGuard's per-client statistics); shared, every member uses
 * the same key, names every other member's namespace, and `Cluster`.
 */
export function lanAddressing(ctx: ClusterContext, address: LanAddress): LanAddressing {
  if (!ctx.lan) throw new Error(`cluster ${ctx.cluster} has no LAN (homelab:platform.lan)`);
  const ip = address === "gateway" ? ctx.lan.gatewayIp : ctx.lan.dnsIp;
  // A config problem (the catalog puts an app on the DNS address of a cluster whose stack has no
  // dnsIp), reported like every other: one line, no stack trace.
  if (!ip) {
    const apps = occupants(ctx, address).map((m) => m.app?.name ?? "the Gateway").join(", ");
    throw new ConfigError(ctx.cluster, [`homelab:platform.lan.dnsIp = (missing): cluster ${ctx.cluster} runs ${apps} on the DNS address, which cannot share the Gateway's (both use port 443); fix: pulumi config set --path 'homelab:platform.lan.dnsIp' <a free address of homelab:platform.lan.loadBalancerPool>`]);
  }
  const members = occupants(ctx, address);
  if (members.length < 2) return { ip, annotations: { [annotations.lbIps]: ip }, externalTrafficPolicy: address === "gateway" ? lanTrafficPolicy : "Local" };
  const namespaces = [...new Set(members.map((m) => m.namespace))].sort();
  return {
    ip,
    annotations: {
      [annotations.lbIps]: ip,
      [annotations.lbSharingKey]: `homelab-lan-${address}`,
      ...(namespaces.length > 1 ? { [annotations.lbSharingNamespaces]: namespaces.join(",") } : {}),
    },
    externalTrafficPolicy: lanTrafficPolicy,
  };
}

/** A LoadBalancer as LB-IPAM sees it. */
export interface LanLoadBalancer {
  what: string;
  namespace: string;
  ips: string[];
  sharingKey: string;
  crossNamespaces: string[];
  externalTrafficPolicy: string;
  ports: number[];
  selector: Record<string, string>;
}

function fromAnnotations(what: string, namespace: string, notes: Record<string, string>, rest: Pick<LanLoadBalancer, "externalTrafficPolicy" | "ports" | "selector">): LanLoadBalancer {
  const list = (value: string | undefined) => (value ? value.split(",").map((v) => v.trim()).filter((v) => v !== "") : []);
  return { what, namespace, ips: list(notes[annotations.lbIps]), sharingKey: notes[annotations.lbSharingKey] ?? "", crossNamespaces: list(notes[annotations.lbSharingNamespaces]), ...rest };
}

/**
 * Every LoadBalancer that asks for a fixed LAN address on the cluster: the Gateways (their
 * `infrastructure.annotations` reach the Service Cilium creates, with the chart's traffic policy)
 * and the LoadBalancer Services in the app-template values.
 */
export function lanLoadBalancers(applications: readonly PlannedApplication[], objects: readonly PlatformObject[]): LanLoadBalancer[] {
  const cilium = applications.find((a) => a.chart === "cilium");
  const gatewayPolicy = String(cilium ? valueOr(cilium.values, "gatewayAPI.externalTrafficPolicy", "Cluster") : "Cluster");
  const found: LanLoadBalancer[] = [];
  for (const { object } of objects.filter((o) => o.object.kind === "Gateway")) {
    const spec = object.spec as { infrastructure?: { annotations?: Record<string, string> }; listeners?: { port: number }[] };
    found.push(fromAnnotations(`Gateway ${object.metadata.namespace}/${object.metadata.name}`, object.metadata.namespace ?? "", spec.infrastructure?.annotations ?? {}, {
      externalTrafficPolicy: gatewayPolicy,
      ports: (spec.listeners ?? []).map((l) => l.port),
      // Cilium's Gateway Service selects no pods (its endpoints point at the node's Envoy).
      selector: {},
    }));
  }
  for (const planned of applications.filter((a) => a.chart === "appTemplate")) {
    for (const [id, service] of Object.entries((planned.values.service ?? {}) as Record<string, { type?: string; annotations?: Record<string, string>; externalTrafficPolicy?: string; ports?: Record<string, { port: number }>; controller?: string }>)) {
      if (service.type !== "LoadBalancer") continue;
      found.push(fromAnnotations(`Service ${planned.namespace}/${planned.app.name} (${id})`, planned.namespace, service.annotations ?? {}, {
        externalTrafficPolicy: service.externalTrafficPolicy ?? "Cluster",
        ports: Object.values(service.ports ?? {}).map((p) => p.port),
        // bjw-s common 4.1.1 classes/_service.tpl: name, instance and controller labels.
        selector: { "app.kubernetes.io/name": planned.release, "app.kubernetes.io/instance": planned.release, "app.kubernetes.io/controller": service.controller ?? "main" },
      }));
    }
  }
  return found;
}

/** Why LB-IPAM would refuse to put `b` on an address `a` already holds (Cilium's `isCompatible`), or undefined. */
export function sharingConflict(a: LanLoadBalancer, b: LanLoadBalancer): string | undefined {
  if (a.sharingKey === "" || a.sharingKey !== b.sharingKey) return `different sharing keys ("${a.sharingKey}" and "${b.sharingKey}")`;
  const allows = (x: LanLoadBalancer, ns: string) => x.crossNamespaces.includes(ns) || x.crossNamespaces.includes("*");
  if (a.namespace !== b.namespace && (!allows(a, b.namespace) || !allows(b, a.namespace))) return `namespaces ${a.namespace} and ${b.namespace} do not both allow each other (${annotations.lbSharingNamespaces})`;
  const both = a.ports.filter((p) => b.ports.includes(p));
  if (both.length > 0) return `both use port ${both.join(", ")} (LB-IPAM compares port numbers whatever the protocol)`;
  if (a.externalTrafficPolicy !== b.externalTrafficPolicy) return `externalTrafficPolicy ${a.externalTrafficPolicy} and ${b.externalTrafficPolicy} differ`;
  if (a.externalTrafficPolicy === "Local") {
    const same = Object.keys(a.selector).length > 0 && JSON.stringify(Object.entries(a.selector).sort()) === JSON.stringify(Object.entries(b.selector).sort());
    if (!same) return "with externalTrafficPolicy Local both must select the same pods";
  }
  return undefined;
}

/** Every pair of LoadBalancers asking for one address can share it; one line per conflict. */
export function lanAddressProblems(cluster: string, balancers: readonly LanLoadBalancer[]): string[] {
  const problems: string[] = [];
  balancers.forEach((b, i) => {
    for (const a of balancers.slice(0, i)) {
      for (const ip of b.ips.filter((x) => a.ips.includes(x))) {
        const why = sharingConflict(a, b);
        if (why) problems.push(`${cluster}: ${a.what} and ${b.what} both ask for LAN address ${ip}, but Cilium LB-IPAM will not share it: ${why}; one of them would stay <pending>`);
      }
    }
  });
  return problems;
}
