/**
 * The homelab policies, as plain functions over a list of resources. The CrossGuard pack
 * (`policies/index.ts`) and the offline plan (`lib/plan`) both call these, so a rule is
 * written once and proven by the tests in `tests/policies.*.spec.ts`.
 *
 * Every policy is a stack policy: the Always Free limits are totals, and the tier and tunnel
 * checks relate several resources to each other.
 */
import { alwaysFreeLimits } from "../lib/always-free";
import { tierBindingProblems, type Tier } from "../lib/catalog";
import { parseBlueprint } from "../lib/identity/blueprint-yaml";
import { blueprintProblems } from "../lib/identity/checks";
import { untarGzip } from "../lib/tar";
import { secretLikeName } from "../lib/secret-names";
import { markers, providerTypePrefix, secretPlaceholder, types } from "./types";

export type EnforcementLevel = "mandatory" | "advisory";

/** A resource as the policies see it: type, name, URN and its input properties. */
export interface PolicyResourceView {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  /** URNs this resource depends on (dependsOn and property dependencies). */
  dependencies?: readonly string[];
}

export interface PolicyContext {
  /**
   * True in the offline plan, where every secret value arrives as "[secret]". False under
   * CrossGuard, which hands policies secrets already decrypted, without telling which values
   * were secret (pulumi/pulumi-policy#241); there only content that must never appear outside
   * a secret sink is checked, and the offline plan in CI checks secretness exactly.
   */
  secretsVisible: boolean;
}

export interface Violation {
  policy: string;
  level: EnforcementLevel;
  /** URN (CrossGuard) or name (offline plan) of the resource at fault; the stack for totals. */
  resource: string;
  message: string;
}

export interface HomelabPolicy {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  check(resources: readonly PolicyResourceView[], context: PolicyContext): Violation[];
}

// ---------------------------------------------------------------------------------------------
// Helpers

function get(props: unknown, path: string): unknown {
  let current: unknown = props;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
function num(value: unknown): number {
  return typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : 0;
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A Kubernetes label: its key holds dots and slashes, so it cannot go through `get`'s path. */
function labelOf(props: unknown, label: string): string | undefined {
  const labels = get(props, "metadata.labels");
  return labels !== null && typeof labels === "object" ? str((labels as Record<string, unknown>)[label]) : undefined;
}

function violationsOf(policy: Pick<HomelabPolicy, "name" | "enforcementLevel">) {
  const found: Violation[] = [];
  return {
    found,
    report(resource: string, message: string) {
      found.push({ policy: policy.name, level: policy.enforcementLevel, resource, message });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// always-free



export interface OciTotals {
  a1Ocpus: number;
  a1MemoryGb: number;
  microInstances: number;
  blockStorageGb: number;
  vcns: number;
}

/** Sums what the stack asks of Oracle's Always Free allowance; also printed as the plan's budget. */
export function ociTotals(resources: readonly PolicyResourceView[]): OciTotals {
  const totals: OciTotals = { a1Ocpus: 0, a1MemoryGb: 0, microInstances: 0, blockStorageGb: 0, vcns: 0 };
  for (const r of resources) {
    if (r.type === types.ociInstance) {
      const shape = str(r.props.shape);
      if (shape === alwaysFreeLimits.a1Shape) {
        totals.a1Ocpus += num(get(r.props, "shapeConfig.ocpus"));
        totals.a1MemoryGb += num(get(r.props, "shapeConfig.memoryInGbs"));
      } else if (shape === alwaysFreeLimits.microShape) {
        totals.microInstances += 1;
      }
      const boot = num(get(r.props, "sourceDetails.bootVolumeSizeInGbs"));
      totals.blockStorageGb += boot > 0 ? boot : alwaysFreeLimits.defaultBootVolumeGb;
    } else if (r.type === types.ociVolume) {
      totals.blockStorageGb += num(r.props.sizeInGbs) || 50;
    } else if (r.type === types.ociVcn) {
      totals.vcns += 1;
    }
  }
  return totals;
}

const paidTypes: Record<string, string> = {
  [types.ociDbSystem]: "DB systems are never Always Free; use PostgreSQL in a container",
  [types.ociDedicatedVmHost]: "dedicated VM hosts are paid",
};

export const alwaysFree: HomelabPolicy = {
  name: "always-free",
  description:
    "Oracle Cloud stays in Always Free: A1.Flex ≤ 4 OCPU / 24 GB in total or E2.1.Micro ≤ 2, boot + block volumes ≤ 200 GB, ≤ 2 VCNs, no paid service, every bucket with a lifecycle or retention rule.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    const t = ociTotals(resources);
    for (const r of resources) {
      if (r.type === types.ociInstance) {
        const shape = str(r.props.shape);
        if (shape !== alwaysFreeLimits.a1Shape && shape !== alwaysFreeLimits.microShape) {
          report(r.name, `instance shape "${shape}" is not Always Free; use ${alwaysFreeLimits.a1Shape} (or ${alwaysFreeLimits.microShape})`);
        }
      }
      if (r.type === types.ociLoadBalancer) {
        const shape = str(r.props.shape);
        const max = num(get(r.props, "shapeDetails.maximumBandwidthInMbps"));
        if (shape !== "flexible" || max > alwaysFreeLimits.flexibleLoadBalancerMaxMbps) {
          report(r.name, `load balancer shape "${shape}" (max ${max} Mbps) is paid; only a flexible load balancer at ≤ ${alwaysFreeLimits.flexibleLoadBalancerMaxMbps} Mbps is Always Free`);
        }
      }
      if (r.type === types.ociAutonomousDatabase && r.props.isFreeTier !== true) {
        report(r.name, "autonomous database without isFreeTier=true is paid");
      }
      if (r.type === types.ociOkeCluster && str(r.props.type) === "ENHANCED_CLUSTER") {
        report(r.name, "OKE enhanced clusters are paid; the CLOUD cluster is Talos on A1 instances");
      }
      const paid = paidTypes[r.type];
      if (paid) report(r.name, paid);
      if (r.type === types.ociBucket) {
        const bucketName = str(r.props.name);
        const hasRetention = list(r.props.retentionRules).length > 0;
        const hasLifecycle = resources.some(
          (p) => p.type === types.ociLifecyclePolicy && str(p.props.bucket) === bucketName && list(p.props.rules).some((rule) => get(rule, "isEnabled") !== false),
        );
        if (!hasRetention && !hasLifecycle) {
          report(r.name, `bucket "${bucketName}" has no lifecycle or retention rule; the 20 GB Always Free storage fills up without one`);
        }
      }
    }
    if (t.a1Ocpus > alwaysFreeLimits.a1Ocpus) report("stack", `A1 instances ask for ${t.a1Ocpus} OCPUs in total; Always Free allows ${alwaysFreeLimits.a1Ocpus}`);
    if (t.a1MemoryGb > alwaysFreeLimits.a1MemoryGb) report("stack", `A1 instances ask for ${t.a1MemoryGb} GB in total; Always Free allows ${alwaysFreeLimits.a1MemoryGb} GB`);
    if (t.microInstances > alwaysFreeLimits.microInstances) report("stack", `${t.microInstances} E2.1.Micro instances; Always Free allows ${alwaysFreeLimits.microInstances}`);
    if (t.blockStorageGb > alwaysFreeLimits.blockStorageGb) report("stack", `boot and block volumes total ${t.blockStorageGb} GB; Always Free allows ${alwaysFreeLimits.blockStorageGb} GB`);
    if (t.vcns > alwaysFreeLimits.vcns) report("stack", `${t.vcns} VCNs; Always Free allows ${alwaysFreeLimits.vcns}`);
    return found;
  },
};

// ---------------------------------------------------------------------------------------------
// no-public-ingress

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
          const exposure = labelOf(r.props, markers.exposureLabel);
          const cluster = labelOf(r.props, markers.clusterLabel);
          const sources = list(get(r.props, "spec.loadBalancerSourceRanges")).map(String);
          if (exposure !== "lan" || !cluster || !homeClusters.has(cluster)) {
            report(r.name, `Service of type ${serviceType} is only allowed when the catalog marks it LAN-only on a home cluster (labels ${markers.exposureLabel}=lan, ${markers.clusterLabel}=dev|prod)`);
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
          const labels = (service.labels ?? {}) as Record<string, unknown>;
          const sources = list(service.loadBalancerSourceRanges).map(String);
          const where = `${serviceType} in the Helm values of ${r.name} (${path.join(".")})`;
          if (labels[markers.exposureLabel] !== "lan" || !homeClusters.has(String(labels[markers.clusterLabel] ?? ""))) {
            report(r.name, `${where} is only allowed when the catalog marks it LAN-only on a home cluster (labels ${markers.exposureLabel}=lan, ${markers.clusterLabel}=dev|prod)`);
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
        if (!last || str(get(last, "hostname")) !== undefined || str(get(last, "service")) !== markers.catchAllService) {
          report(r.name, `the tunnel's last ingress rule must be the catch-all "${markers.catchAllService}" without hostname, so that no unknown hostname reaches an origin`);
        }
      }
    }
    return found;
  },
};

// ---------------------------------------------------------------------------------------------
// admin-group-restriction

/**
 * Parses the DNS record comment `homelab:app=<name>;tier=<tier>;groups=<a,b>[;clients=machines]`.
 * `clients=machines` marks an endpoint that machines reach with their own credentials.
 */
export function parseAppComment(
  comment: string | undefined,
): { app: string; tier: string | undefined; groups: string[]; machines: boolean } | undefined {
  if (!comment || !comment.startsWith(markers.dnsCommentPrefix)) return undefined;
  const fields = new Map(
    comment
      .slice(markers.dnsCommentPrefix.length)
      .split(";")
      .map((pair) => pair.split("=") as [string, string | undefined]),
  );
  const groupsField = fields.get("groups") ?? "";
  return {
    app: fields.get("app") ?? "?",
    tier: fields.get("tier"),
    groups: groupsField === "" ? [] : groupsField.split(","),
    machines: fields.get("clients") === "machines",
  };
}

export function formatAppComment(app: string, tier: Tier, groupNames: readonly string[], clients: "people" | "machines" = "people"): string {
  const base = `${markers.dnsCommentPrefix}app=${app};tier=${tier};groups=${groupNames.join(",")}`;
  return clients === "machines" ? `${base};clients=machines` : base;
}

const tiers = new Set(["admin", "family", "public"]);

/**
 * The Authentik blueprints a management VM will apply, read back from its project metadata
 * (base64 tar.gz, see components/management-vm), checked for bindings and invitation-only enrollment.
 */
function deployedBlueprintProblems(instance: PolicyResourceView): string[] {
  const metadata = get(instance.props, "metadata");
  const project = metadata !== null && typeof metadata === "object" ? str((metadata as Record<string, unknown>)[markers.projectMetadataKey]) : undefined;
  if (!project || project === secretPlaceholder) return [];
  let files;
  try {
    files = untarGzip(Buffer.from(project, "base64"));
  } catch (error) {
    return [`the project metadata "${markers.projectMetadataKey}" is not a readable tar.gz (${(error as Error).message})`];
  }
  return files
    .filter((f) => /^authentik\/blueprints\/[^/]+\.yaml$/.test(f.path))
    .flatMap((f) => {
      try {
        return blueprintProblems(parseBlueprint(f.content), f.path);
      } catch (error) {
        return [`${f.path} is not a readable blueprint (${(error as Error).message})`];
      }
    });
}

export const adminGroupRestriction: HomelabPolicy = {
  name: "admin-group-restriction",
  description:
    "Every exposed app has a tier; admin apps are reachable only by the admin group (and sit behind Cloudflare Access), family apps only by family groups, nothing is bound to everyone.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    const accessDomains = new Set(
      resources
        .filter((r) => r.type === types.cloudflareAccessApplication && list(r.props.policies).length > 0)
        .map((r) => str(r.props.domain))
        .filter((d): d is string => d !== undefined),
    );
    const knownHostnames = new Set<string>();
    for (const r of resources.filter((res) => res.type === types.cloudflareDnsRecord && str(res.props.type) === "CNAME")) {
      const hostname = str(r.props.name) ?? r.name;
      knownHostnames.add(hostname);
      const app = parseAppComment(str(r.props.comment));
      if (!app) {
        report(r.name, `hostname "${hostname}" carries no app identity (comment "homelab:app=…;tier=…;groups=…"); every exposed app comes from the catalog`);
        continue;
      }
      if (!app.tier || !tiers.has(app.tier)) {
        report(r.name, `app "${app.app}" has no valid tier (got "${app.tier ?? ""}"); expected admin, family or public`);
        continue;
      }
      for (const problem of tierBindingProblems(app.tier as Tier, app.groups)) report(r.name, `app "${app.app}" ${problem}`);
      // Machine endpoints (Omni SideroLink, the Kubernetes proxy) authenticate in the app with a
      // join token or service-account key; Access would lock the machines out. Only admin-tier
      // entries may say so, so no family or public app can slip out from behind Access this way.
      if (app.machines && app.tier !== "admin") {
        report(r.name, `app "${app.app}" at ${hostname} claims clients=machines but is tier "${app.tier}"; only admin machine endpoints skip Access`);
      }
      if (app.tier === "admin" && !app.machines && !accessDomains.has(hostname)) {
        report(r.name, `admin app "${app.app}" at ${hostname} has no Cloudflare Access application with a policy in front of it`);
      }
    }
    for (const r of resources.filter((res) => res.type === types.ociInstance)) {
      for (const problem of deployedBlueprintProblems(r)) report(r.name, problem);
    }
    for (const r of resources.filter((res) => res.type === types.cloudflareTunnelConfig)) {
      for (const ingress of list(get(r.props, "config.ingresses"))) {
        const hostname = str(get(ingress, "hostname"));
        if (hostname && !knownHostnames.has(hostname)) {
          report(r.name, `tunnel route "${hostname}" has no catalog DNS record (and so no tier); add the app to lib/catalog.ts instead of routing by hand`);
        }
      }
    }
    return found;
  },
};

// ---------------------------------------------------------------------------------------------
// sync-waves

function annotationOf(props: unknown, name: string): string | undefined {
  const annotations = get(props, "metadata.annotations");
  return annotations !== null && typeof annotations === "object" ? str((annotations as Record<string, unknown>)[name]) : undefined;
}

export const syncWaves: HomelabPolicy = {
  name: "sync-waves",
  description:
    "ArgoCD Applications roll out wave by wave (story 1.4.4): each Application of wave N depends on every Application of the previous wave on its cluster and waits until it is Synced and Healthy.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    const apps = resources
      .filter((r) => r.type === types.argoApplication)
      .map((r) => ({ r, cluster: labelOf(r.props, markers.clusterLabel) ?? "?", wave: Number(labelOf(r.props, markers.waveLabel)) }));
    for (const { r, cluster, wave } of apps) {
      if (!Number.isInteger(wave)) {
        report(r.name, `Application has no ${markers.waveLabel} label; every catalog app has a sync wave`);
        continue;
      }
      const waitFor = annotationOf(r.props, markers.waitForAnnotation) ?? "";
      if (!waitFor.includes("{.status.sync.status}=Synced") || !waitFor.includes("{.status.health.status}=Healthy")) {
        report(r.name, `Application lacks the ${markers.waitForAnnotation} annotation for Synced and Healthy, so the next wave would not wait for it`);
      }
      const lower = apps.filter((a) => a.cluster === cluster && a.wave < wave).map((a) => a.wave);
      if (lower.length === 0) continue;
      const previous = Math.max(...lower);
      const deps = new Set(r.dependencies ?? []);
      for (const before of apps.filter((a) => a.cluster === cluster && a.wave === previous)) {
        if (!deps.has(before.r.urn)) {
          report(r.name, `wave ${wave} Application does not depend on "${before.r.name}" (wave ${previous}, cluster ${cluster}); it could start before that one is Synced and Healthy`);
        }
      }
    }
    return found;
  },
};

// ---------------------------------------------------------------------------------------------
// no-plaintext-secrets

/** Keys that name a secret held elsewhere (Helm's `existingSecret`, `configSecret`), not the secret itself. */
const referenceKeyPattern = /^(existing|use|create|enable|config)|(SecretName|SecretRef)$/i;
/** Values that point at a secret instead of holding one: Grafana's `$__file{…}`/`$__env{…}`, ArgoCD's `$secret:key`. */
const referenceValuePattern = /^(\$__(file|env)\{[^}]+\}|\$[a-z0-9][a-z0-9.-]*:[A-Za-z0-9_.-]+)$/;
/** Names of environment variables (or Compose/Kubernetes env entries) that hold secrets. */
const secretEnvName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|SECRET_KEY)$/i;
/** Material that is a credential by its look, whatever the key. */
const credentialContent: { pattern: RegExp; what: string }[] = [
  { pattern: /-----BEGIN ((RSA|EC|OPENSSH|DSA|ENCRYPTED) )?PRIVATE KEY-----/, what: "a private key" },
  { pattern: /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b/, what: "a GitHub token" },
  { pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}\b/, what: "a Slack token" },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/, what: "an access key id" },
  { pattern: /\b\d{8,10}:[A-Za-z0-9_-]{35}\b/, what: "a Telegram bot token" },
];
/** An inline assignment of a secret in a document (env file, script, YAML), not a reference. */
const inlineSecretAssignment = /^\s*(?:export\s+|-\s+)?([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY))\s*[=:]\s*(?!\s*(?:\$|!Env|file:\/\/|""|''|$|\[secret\]))(\S+)/m;

/** Where a secret is expected and legitimate: provider credentials and explicit secret sinks. */
function isSecretSink(type: string, path: readonly string[]): boolean {
  if (type.startsWith(providerTypePrefix)) return true;
  const top = path[0];
  if ((type === types.commandRemote || type === types.commandCopyToRemote) && top === "connection") return true;
  if (type === types.ociInstance && top === "metadata") return true;
  if (type === types.kubernetesSecret && (top === "data" || top === "stringData")) return true;
  return false;
}

function walk(value: unknown, path: string[], visit: (value: unknown, path: string[]) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], visit));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

export const noPlaintextSecrets: HomelabPolicy = {
  name: "no-plaintext-secrets",
  description:
    "No secret-like value in plain resource inputs or stack outputs: passwords, tokens and keys reach resources only as Pulumi secrets, and credentials never appear in clear text outside a secret sink.",
  enforcementLevel: "mandatory",
  check(resources, context) {
    const { found, report } = violationsOf(this);
    for (const r of resources) {
      walk(r.props, [], (value, path) => {
        if (value === secretPlaceholder) return;
        const where = path.length === 0 ? "(root)" : path.join(".");
        const sink = isSecretSink(r.type, path);
        const key = path[path.length - 1] ?? "";
        if (context.secretsVisible) {
          if (typeof value === "string" && value !== "" && secretLikeName.test(key) && !referenceKeyPattern.test(key) && !referenceValuePattern.test(value)) {
            report(r.name, `${where} holds a plain value under a secret-like key; pass it as a Pulumi secret (config --secret, pulumi.secret())`);
            return;
          }
          if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const entry = value as Record<string, unknown>;
            if (typeof entry.name === "string" && secretEnvName.test(entry.name) && typeof entry.value === "string" && entry.value !== "" && entry.value !== secretPlaceholder) {
              report(r.name, `${where} sets ${entry.name} in plain text; use valueFrom a Secret or a Pulumi secret`);
            }
          }
        }
        if (typeof value !== "string" || (sink && !context.secretsVisible)) return;
        for (const { pattern, what } of credentialContent) {
          if (pattern.test(value)) report(r.name, `${where} contains ${what} in clear text`);
        }
        const inline = inlineSecretAssignment.exec(value);
        if (inline) report(r.name, `${where} assigns ${inline[1]} inline in a plain document; reference it (env var, !Env, file) or make the document a secret`);
      });
    }
    return found;
  },
};

export const policies: readonly HomelabPolicy[] = [alwaysFree, noPublicIngress, adminGroupRestriction, syncWaves, noPlaintextSecrets];

/** Runs every policy over the resources; the offline plan and the tests call this. */
export function evaluatePolicies(resources: readonly PolicyResourceView[], context: PolicyContext, only: readonly HomelabPolicy[] = policies): Violation[] {
  return only.flatMap((policy) => policy.check(resources, context));
}

/** Property readers shared with the plan's budgets, so both read resources the same way. */
export { get as propertyAt, num as numberOf, list as listOf, labelOf, annotationOf };
