/** no-public-ingress: zero open ports (FR-007): nothing reaches the homelab from the internet except through the tunnel. */
import { catchAllService, labels } from "../lib/markers";
import { types } from "./types";
import { get, labelOf, list, str, violationsOf, walk, type HomelabPolicy } from "./view";

const anywhere = new Set(["0.0.0.0/0", "::/0"]);
const homeClusters = new Set(["dev", "prod"]);

export const noPublicIngress: HomelabPolicy = {
  name: "no-public-ingress",
  description:
    "Zero open ports: no OCI ingress from 0.0.0.0/0 or ::/0, no LoadBalancer/NodePort Service unless LAN-only on a home cluster, service DNS only as proxied CNAMEs to the tunnel, and a tunnel whose last rule is a 404 catch-all.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    for (const r of resources) {
      if (r.type === types.ociSecurityList) {
        for (const rule of list(r.props.ingressSecurityRules)) {
          const source = str(get(rule, "source"));
          if (source && anywhere.has(source)) {
            report(r.name, `security list admits ingress from ${source} (protocol ${str(get(rule, "protocol")) ?? "?"}); the homelab opens no port to the internet, use the tunnel or OCI Bastion`);
          }
        }
      }
      if (r.type === types.ociNsgRule && str(r.props.direction) === "INGRESS") {
        const source = str(r.props.source);
        if (source && anywhere.has(source)) report(r.name, `network security group rule admits ingress from ${source}; the homelab opens no port to the internet`);
      }
      if (r.type === types.kubernetesService) {
        const serviceType = str(get(r.props, "spec.type"));
        if (serviceType === "LoadBalancer" || serviceType === "NodePort") {
          const exposure = labelOf(r.props, labels.exposure);
          const cluster = labelOf(r.props, labels.cluster);
          const sources = list(get(r.props, "spec.loadBalancerSourceRanges")).map(String);
          if (exposure !== "lan" || !cluster || !homeClusters.has(cluster)) {
            report(r.name, `Service of type ${serviceType} is only allowed when the catalog marks it LAN-only on a home cluster (labels ${labels.exposure}=lan, ${labels.cluster}=dev|prod)`);
          } else if (sources.length === 0 || sources.some((s) => anywhere.has(s))) {
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
          } else if (sources.length === 0 || sources.some((source) => anywhere.has(source))) {
            report(r.name, `${where} must restrict loadBalancerSourceRanges to the home networks`);
          }
        });
      }
      if (r.type === types.cloudflareDnsRecord) {
        const recordType = str(r.props.type);
        const name = str(r.props.name) ?? r.name;
        if (recordType === "A" || recordType === "AAAA") {
          report(r.name, `DNS ${recordType} record "${name}" points at an origin; services are reached only through the tunnel (proxied CNAME to <tunnel>.cfargotunnel.com)`);
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
