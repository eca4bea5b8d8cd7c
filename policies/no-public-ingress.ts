/**
 * no-public-ingress: zero open ports (FR-007): nothing reaches the homelab from the internet
 * except through the tunnel, and through the named ingress exceptions of lib/ingress-exceptions.ts
 * (Omni's gRPC APIs on the management VM), each exactly as wide as it is written and no wider.
 */
import { apps as catalogApps } from "../lib/catalog";
import { exceptionMarker, exceptionNamed, type IngressException } from "../lib/ingress-exceptions";
import { catchAllService, labels, ociTags, parseAppComment } from "../lib/markers";
import { nfsPort } from "../lib/twingate/nfs-path";
import { types } from "./types";
import { get, labelOf, list, num, str, violationsOf, walk, type HomelabPolicy, type PolicyResourceView } from "./view";

const anywhere = new Set(["0.0.0.0/0", "::/0"]);
const homeClusters = new Set(["dev", "prod"]);

/**
 * Ranges that are not the internet: private, shared (CGNAT), loopback, link-local, and the
 * documentation ranges (RFC 5737, never routed; the examples use one as the home LAN); IPv6
 * unique-local and link-local.
 */
const nonPublicV4: readonly [number, number][] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xc0000200, 24],
  [0xc6336400, 24],
  [0xcb007100, 24],
];
const nonPublicV6: readonly [number, number][] = [
  [0xfc00, 7],
  [0xfe80, 10],
];

function ipv4Number(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/**
 * Whether an ingress source reaches beyond private networks: any CIDR not wholly inside one
 * private range is the internet, so `0.0.0.0/1` + `128.0.0.0/1`, or a public /8, count as much as
 * `0.0.0.0/0`. Sources that are not CIDRs (an NSG's OCID, an Oracle services label) are not.
 */
export function fromInternet(source: string): boolean {
  if (anywhere.has(source)) return true;
  const [ip = "", bitsText] = source.split("/");
  const v4 = ipv4Number(ip);
  if (v4 !== undefined) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    return !nonPublicV4.some(([net, size]) => bits >= size && Math.floor(v4 / 2 ** (32 - size)) === Math.floor(net / 2 ** (32 - size)));
  }
  if (ip.includes(":")) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    if (ip === "::1" && bits === 128) return false;
    const head = ip.startsWith("::") ? "0" : ip.split(":")[0]!;
    const first = Number.parseInt(head, 16);
    if (Number.isNaN(first)) return false;
    return !nonPublicV6.some(([net, size]) => bits >= size && first >> (16 - size) === net >> (16 - size));
  }
  return false;
}

/** The stack a URN belongs to (`urn:pulumi:<stack>::<project>::…`). */
function stackOf(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

function roleTag(resource: PolicyResourceView | undefined): string | undefined {
  const tags = resource ? get(resource.props, "freeformTags") : undefined;
  return tags !== null && typeof tags === "object" ? str((tags as Record<string, unknown>)[ociTags.role]) : undefined;
}

/** What a network security group rule that names `exception` does beyond it (empty: it is the exception). */
function ruleProblems(rule: PolicyResourceView, exception: IngressException, source: string, byUrn: ReadonlyMap<string, PolicyResourceView>): string[] {
  const problems: string[] = [];
  const name = `exception "${exception.name}"`;
  const stack = stackOf(rule.urn);
  if (stack !== exception.stack) problems.push(`${name} is allowed only in the ${exception.stack} stack, not in ${stack ?? "an unknown stack"}`);
  const protocol = str(rule.props.protocol);
  if (protocol !== exception.protocol) problems.push(`${name} allows protocol ${exception.protocol} (TCP) only, the rule says "${protocol ?? "?"}"`);
  if (!exception.sources.includes(source as IngressException["sources"][number])) problems.push(`${name} does not cover source ${source}`);
  const range = get(rule.props, "tcpOptions.destinationPortRange");
  if (range === undefined || range === null) {
    problems.push(`${name} opens port ${exception.port} only, the rule opens every port (no tcpOptions.destinationPortRange)`);
  } else {
    const min = num(get(range, "min"));
    const max = num(get(range, "max"));
    if (min !== exception.port || max !== exception.port) problems.push(`${name} opens port ${exception.port} only, the rule opens ${min === max ? min : `${min}–${max}`}`);
  }
  const groups = (rule.dependencies ?? []).map((urn) => byUrn.get(urn)).filter((r) => r?.type === types.ociNsg);
  if (!groups.some((g) => roleTag(g) === exception.nsgRole)) {
    problems.push(`${name} belongs on the network security group of the "${exception.nsgRole}" VM (freeformTags ${ociTags.role}=${exception.nsgRole}, and the rule depends on it)`);
  }
  return problems;
}

/** What a DNS A/AAAA record that names `exception` does beyond it. */
function recordProblems(record: PolicyResourceView, exception: IngressException, app: string, byUrn: ReadonlyMap<string, PolicyResourceView>, apps: typeof catalogApps): string[] {
  const problems: string[] = [];
  const name = `exception "${exception.name}"`;
  const recordType = str(record.props.type);
  const family = recordType === "AAAA" ? "::/0" : "0.0.0.0/0";
  if (!exception.sources.includes(family)) problems.push(`${name} does not cover ${recordType} records (its sources: ${exception.sources.join(", ")})`);
  if (record.props.proxied !== false) problems.push(`${name} is a DNS-only record (proxied false): Cloudflare's proxy carries neither gRPC without the zone toggle that blinds Access, nor port ${exception.port}`);
  if (app !== exception.app) problems.push(`${name} belongs to catalog app "${exception.app}", the record says app "${app}"`);
  const stack = stackOf(record.urn);
  if (stack !== exception.stack) problems.push(`${name} is allowed only in the ${exception.stack} stack, not in ${stack ?? "an unknown stack"}`);
  const catalogApp = apps.find((a) => a.name === exception.app);
  const hostname = str(record.props.name) ?? "";
  if (catalogApp?.exposure.kind !== "direct" || catalogApp.exposure.exception !== exception.name) {
    problems.push(`${name}: catalog app "${exception.app}" has no direct exposure through it`);
  } else if (hostname.split(".")[0] !== catalogApp.exposure.subdomain) {
    problems.push(`${name} allows the name ${catalogApp.exposure.subdomain}.<domain> only, the record is "${hostname}"`);
  }
  const targets = (record.dependencies ?? []).map((urn) => byUrn.get(urn)).filter((r) => r?.type === types.ociInstance);
  if (!targets.some((t) => roleTag(t) === exception.nsgRole)) problems.push(`${name}: the record must point at the "${exception.nsgRole}" VM (its public address, and depend on it)`);
  return problems;
}

/** What a Twingate resource opens beyond one address, NFS's TCP port, no UDP, no ICMP, machines only. */
function twingateResourceProblems(resource: PolicyResourceView): string[] {
  const problems: string[] = [];
  const address = str(resource.props.address) ?? "";
  const [host = "", bits] = address.split("/");
  if (ipv4Number(host) === undefined || (bits !== undefined && bits !== "32")) problems.push(`reaches "${address}"; it may reach one IPv4 address, not a network or a name`);
  const tcp = get(resource.props, "protocols.tcp");
  const ports = list(get(tcp, "ports")).map(String);
  if (str(get(tcp, "policy")) !== "RESTRICTED" || ports.length === 0) problems.push(`must restrict TCP to named ports (policy RESTRICTED with ports), got policy ${str(get(tcp, "policy")) ?? "unset (every port)"}`);
  const ranges = ports.filter((p) => !/^\d+$/.test(p));
  if (ranges.length > 0) problems.push(`opens the port ranges ${ranges.join(", ")}; name single ports`);
  // The one path through Twingate is CLOUD's kubelet to the media exports (lib/twingate/nfs-path.ts):
  // another port of the same host (its SSH, the Proxmox API) would be a way into the hypervisor.
  const others = ports.filter((p) => /^\d+$/.test(p) && Number(p) !== nfsPort);
  if (others.length > 0) problems.push(`opens TCP ${others.join(", ")}; the home path carries NFSv4 only (TCP ${nfsPort}, lib/twingate/nfs-path.ts)`);
  if (str(get(resource.props, "protocols.udp.policy")) !== "DENY_ALL") problems.push(`must deny UDP (protocols.udp.policy DENY_ALL)`);
  if (get(resource.props, "protocols.allowIcmp") !== false) problems.push(`must not allow ICMP (protocols.allowIcmp false)`);
  if (list(resource.props.accessGroups).length > 0) problems.push(`grants groups of people; the homelab's resources are for service accounts (accessServices) only`);
  if (list(resource.props.accessServices).length === 0) problems.push(`names no service account (accessServices), so nothing may use it`);
  return problems;
}

export const noPublicIngress: HomelabPolicy = {
  name: "no-public-ingress",
  description:
    "Zero open ports: no OCI ingress from 0.0.0.0/0 or ::/0 except the named ingress exceptions (exact protocol, port, source, NSG and stack), no LoadBalancer/NodePort Service unless LAN-only on a home cluster, service DNS only as proxied CNAMEs to the tunnel or as the exceptions' DNS-only records, and a tunnel whose last rule is a 404 catch-all.",
  enforcementLevel: "mandatory",
  check(resources, context) {
    const { found, report } = violationsOf(this);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const apps = (context.apps ?? catalogApps) as typeof catalogApps;
    for (const r of resources) {
      if (r.type === types.ociSecurityList) {
        for (const rule of list(r.props.ingressSecurityRules)) {
          const source = str(get(rule, "source"));
          if (source && fromInternet(source)) {
            report(r.name, `security list admits ingress from ${source} (protocol ${str(get(rule, "protocol")) ?? "?"}); the homelab opens no port to the internet, and its ingress exceptions live only on the management VM's network security group`);
          }
        }
      }
      if (r.type === types.ociNsgRule && str(r.props.direction) === "INGRESS") {
        const source = str(r.props.source);
        if (source && fromInternet(source)) {
          const description = str(r.props.description) ?? "";
          const exception = description.startsWith(exceptionMarker) ? exceptionNamed(description.slice(exceptionMarker.length)) : undefined;
          if (!exception) {
            report(r.name, `network security group rule admits ingress from ${source} and names no ingress exception (description "${exceptionMarker}<name>" of lib/ingress-exceptions.ts); the homelab opens no other port`);
          } else {
            for (const problem of ruleProblems(r, exception, source, byUrn)) report(r.name, `network security group rule admits ingress from ${source} wider than allowed: ${problem}`);
          }
        }
      }
      if (r.type === types.ociInstance && list(get(r.props, "createVnicDetails.nsgIds")).length > 0) {
        // The exceptions' NSG stays on the management VM: a Talos node with it would open too.
        const groups = (r.dependencies ?? []).map((urn) => byUrn.get(urn)).filter((g) => g?.type === types.ociNsg);
        if (groups.some((g) => roleTag(g) !== roleTag(r))) {
          report(r.name, `instance with role "${roleTag(r) ?? "?"}" carries the network security group of another role; the ingress exceptions belong to the management VM alone`);
        }
      }
      if (r.type === types.twingateResource) {
        // Twingate opens no port, but it is a way into the home network: each resource reaches
        // one address on NFS's TCP port, for service accounts (machines) only.
        for (const problem of twingateResourceProblems(r)) report(r.name, `Twingate resource ${problem}`);
      }
      if (r.type === types.kubernetesService) {
        const serviceType = str(get(r.props, "spec.type"));
        if (serviceType === "LoadBalancer" || serviceType === "NodePort") {
          const exposure = labelOf(r.props, labels.exposure);
          const cluster = labelOf(r.props, labels.cluster);
          const sources = list(get(r.props, "spec.loadBalancerSourceRanges")).map(String);
          if (exposure !== "lan" || !cluster || !homeClusters.has(cluster)) {
            report(r.name, `Service of type ${serviceType} is only allowed when the catalog marks it LAN-only on a home cluster (labels ${labels.exposure}=lan, ${labels.cluster}=dev|prod)`);
          } else if (sources.length === 0 || sources.some((s) => fromInternet(s))) {
            report(r.name, `LAN-only Service must restrict spec.loadBalancerSourceRanges to the home networks`);
          }
        }
      }
      if (r.type === types.argoApplication) {
        // Services rendered by ArgoCD from the Helm values: the same LAN-only rule.
        const values = get(r.props, "spec.source.helm.valuesObject");
        walk(values, [], (node, path) => {
          if (node === null || typeof node !== "object" || Array.isArray(node)) return;
          const service = node as Record<string, unknown>;
          const serviceType = str(service.type);
          if (serviceType !== "LoadBalancer" && serviceType !== "NodePort") return;
          const serviceLabels = (service.labels ?? {}) as Record<string, unknown>;
          const sources = list(service.loadBalancerSourceRanges).map(String);
          const where = `${serviceType} in the Helm values of ${r.name} (${path.join(".")})`;
          if (serviceLabels[labels.exposure] !== "lan" || !homeClusters.has(String(serviceLabels[labels.cluster] ?? ""))) {
            report(r.name, `${where} is only allowed when the catalog marks it LAN-only on a home cluster (labels ${labels.exposure}=lan, ${labels.cluster}=dev|prod)`);
          } else if (sources.length === 0 || sources.some((source) => fromInternet(source))) {
            report(r.name, `${where} must restrict loadBalancerSourceRanges to the home networks`);
          }
        });
      }
      if (r.type === types.cloudflareDnsRecord) {
        const recordType = str(r.props.type);
        const name = str(r.props.name) ?? r.name;
        if (recordType === "A" || recordType === "AAAA") {
          const comment = parseAppComment(str(r.props.comment));
          const exception = comment?.exception ? exceptionNamed(comment.exception) : undefined;
          if (!exception) {
            report(r.name, `DNS ${recordType} record "${name}" points at an origin; services are reached only through the tunnel (proxied CNAME to <tunnel>.cfargotunnel.com) or through a named ingress exception`);
          } else {
            for (const problem of recordProblems(r, exception, comment!.app, byUrn, apps)) report(r.name, `DNS ${recordType} record "${name}": ${problem}`);
          }
        } else if (recordType === "CNAME") {
          const content = str(r.props.content) ?? "";
          if (r.props.proxied !== true || !content.endsWith(".cfargotunnel.com")) {
            report(r.name, `CNAME "${name}" must be proxied and point at <tunnel>.cfargotunnel.com (got proxied=${String(r.props.proxied)}, content "${content}")`);
          }
        }
      }
      if (r.type === types.cloudflareTunnelConfig) {
        const ingresses = list(get(r.props, "config.ingresses"));
        const last = ingresses[ingresses.length - 1];
        if (!last || str(get(last, "hostname")) !== undefined || str(get(last, "service")) !== catchAllService) {
          report(r.name, `the tunnel's last ingress rule must be the catch-all "${catchAllService}" without hostname, so that no unknown hostname reaches an origin`);
        }
      }
    }
    return found;
  },
};
