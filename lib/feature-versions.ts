/**
 * The features the configuration relies on, each with the first version that has it (and, where
 * a later line drops it, the first version that no longer has it), read at the upstream source.
 * A test holds every pin of lib/versions.ts, package.json and the workflows to this table, so that
 * neither a hand edit nor a Renovate update can silently lose a feature the program uses.
 * Versions that must move together are in `movesTogether`.
 */
import { charts, gatewayApiVersion, images, versions, type ChartKey, type ImageName } from "./versions";

/** Where a pinned version lives. */
export type Pin =
  | { kind: "version"; key: keyof typeof versions }
  | { kind: "image"; key: ImageName }
  | { kind: "chart"; key: ChartKey }
  | { kind: "gatewayApi" }
  | { kind: "npm"; name: string }
  | { kind: "action"; repo: string };

export interface FeatureRequirement {
  feature: string;
  pin: Pin;
  /** The first version that has the feature. */
  minimum: string;
  /** The first version that no longer fits (another line), when there is one. */
  below?: string;
  /** Where upstream says so. */
  evidence: string;
}

export const featureRequirements: readonly FeatureRequirement[] = [
  {
    feature: "Vaultwarden sign-in with OpenID Connect (SSO_* variables)",
    pin: { kind: "image", key: "vaultwarden" },
    minimum: "1.35.0",
    evidence: "dani-garcia/vaultwarden .env.template: no SSO_ line at 1.34.3, `# SSO_ENABLED=false` at 1.35.0 (l.485)",
  },
  {
    feature: "Vaultwarden SSO checks email_verified before binding an account (GHSA-6x5c-84vm-5j56)",
    pin: { kind: "image", key: "vaultwarden" },
    minimum: "1.36.0",
    evidence: "advisory GHSA-6x5c-84vm-5j56: affected <= 1.35.8, fixed in 1.36.0",
  },
  {
    feature: "Immich on the VectorChord database extension (the cloudnative-vectorchord image)",
    pin: { kind: "image", key: "immichServer" },
    minimum: "v1.133.0",
    evidence: "immich v1.133.0 release notes, breaking change 3 'New database vector extension' (immich-app/immich#18042)",
  },
  {
    feature: "Immich's media location is /data, where the library is mounted",
    pin: { kind: "image", key: "immichServer" },
    minimum: "v1.137.0",
    evidence: "immich-app/immich#20367 'feat: change default media location to /data' (released in v1.137.0)",
  },
  {
    feature: "Authentik notification transports with webhook body and header mappings",
    pin: { kind: "version", key: "authentik" },
    minimum: "2025.4.0",
    evidence: "goauthentik/authentik events migration 0009 (2025-03-20): webhook_mapping → webhook_mapping_body, webhook_mapping_headers",
  },
  {
    feature: "Authentik notification rules address destination_group",
    pin: { kind: "version", key: "authentik" },
    minimum: "2025.8.0",
    evidence: "goauthentik/authentik events migration 0010 (2025-06-16): group renamed destination_group",
  },
  {
    feature: "Authentik runs without Redis (the Compose project has none)",
    pin: { kind: "version", key: "authentik" },
    minimum: "2025.10.0",
    evidence: "Authentik 2025.10 release notes 'Removed redis dependency' (goauthentik/authentik#17296)",
  },
  {
    feature: "Authentik keeps its files under /data (the Compose mount)",
    pin: { kind: "version", key: "authentik" },
    minimum: "2025.12.0",
    evidence: "Authentik 2025.12 release notes 'Storage improvements'; upstream compose mounts ./data:/data",
  },
  {
    feature: "Authentik service accounts get their permissions from a role they hold directly (User.roles); a user's own permissions are not used",
    pin: { kind: "version", key: "authentik" },
    minimum: "2025.12.0",
    evidence: "Authentik 2025.12 release notes, RBAC 'User permissions: All permissions now must be attached to a role'; @goauthentik/api 2026.8.3 UserRequest.roles, no assigned_by_users endpoint",
  },
  {
    feature: "Authentik SAML providers take issuer_override",
    pin: { kind: "version", key: "authentik" },
    minimum: "2026.5.0",
    evidence: "@goauthentik/api 2026.5.x SAMLProviderRequest: issuer renamed issuer_override",
  },
  {
    feature: "Comet's admin dashboard password (ADMIN_DASHBOARD_PASSWORD)",
    pin: { kind: "image", key: "comet" },
    minimum: "v2.11.0",
    evidence: "g0ldyy/comet .env-sample: no ADMIN_DASHBOARD_PASSWORD at v2.10.0, present at v2.11.0",
  },
  {
    feature: "Comet's configure-page password and public API token (CONFIGURE_PAGE_PASSWORD, PUBLIC_API_TOKEN)",
    pin: { kind: "image", key: "comet" },
    minimum: "v2.52.0",
    evidence: "g0ldyy/comet .env-sample: neither at v2.51.0, both at v2.52.0",
  },
  {
    feature: "Komga API keys for the reader apps (X-API-Key)",
    pin: { kind: "image", key: "komga" },
    minimum: "1.20.0",
    evidence: "gotson/komga komga/src/main: no X-API-Key at 1.19.0, present at 1.20.0",
  },
  {
    feature: "Mealie signs in with OpenID Connect as a confidential client (OIDC_CLIENT_SECRET)",
    pin: { kind: "image", key: "mealie" },
    minimum: "v2.0.0",
    evidence: "mealie-recipes/mealie docs backend-config.md at v2.0.0: OIDC_CLIENT_SECRET tagged v2.0.0",
  },
  {
    feature: "AdGuard Home reads the local list of LAN names (filtering.safe_fs_patterns)",
    pin: { kind: "image", key: "adguardHome" },
    minimum: "v0.107.53",
    evidence: "AdguardTeam/AdGuardHome CHANGELOG v0.107.53: 'The new array filtering.safe_fs_patterns'; absent at v0.107.52",
  },
  {
    feature: "Cilium LB-IPAM shares one address across namespaces (lbipam.cilium.io/sharing-cross-namespace)",
    pin: { kind: "chart", key: "cilium" },
    minimum: "1.17.0",
    evidence: "cilium/cilium#30055 'lbipam: allow cross namespace IP sharing', tested for the 1.17 pre-releases (cilium/cilium#35460)",
  },
  {
    feature: "Cilium 1.17's Gateway controller finds the Gateway API v1.2 CRDs it requires (TLSRoute v1alpha2 included)",
    pin: { kind: "gatewayApi" },
    minimum: "v1.2.0",
    below: "v1.3.0",
    evidence: "cilium operator/pkg/gateway-api/cell.go requiredGVK; Cilium 1.17 documents Gateway API v1.2",
  },
  {
    feature: "pulumi.com/waitFor decides when an Application or a Certificate is ready",
    pin: { kind: "npm", name: "@pulumi/kubernetes" },
    minimum: "4.18.4",
    evidence: "pulumi-kubernetes 4.18.4 changelog: 'pulumi.com/waitFor and other await annotations now correctly take precedence' (#3329)",
  },
  {
    feature: "pulumi/actions runs on Node 24 (GitHub retires the Node 20 runtime)",
    pin: { kind: "action", repo: "pulumi/actions" },
    minimum: "v7.0.0",
    evidence: "pulumi/actions CHANGELOG 7.0.0 'update Action runtime to node 24'; action.yml `using: node24`",
  },
  {
    feature: "trivy-action at a tag restored after the 2026 compromise",
    pin: { kind: "action", repo: "aquasecurity/trivy-action" },
    minimum: "v0.35.0",
    evidence: "aquasecurity/trivy-action#541: tags before 0.35.0 pointed at malicious commits; they were re-created with a v prefix",
  },
];

/**
 * Pins that must stay one release of one upstream, with the known-good combinations: a change to
 * one without the other (or without a row here, read at the source) fails the test.
 */
export const movesTogether: readonly { what: string; pins: readonly Pin[]; known: readonly (readonly string[])[]; evidence: string }[] = [
  {
    what: "prometheus-operator-crds carries the CRDs of the operator kube-prometheus-stack runs",
    pins: [
      { kind: "chart", key: "prometheusOperatorCrds" },
      { kind: "chart", key: "kubePrometheusStack" },
    ],
    known: [["19.1.0", "70.4.2"]],
    evidence: "prometheus-community/helm-charts: prometheus-operator-crds 19.1.0 and kube-prometheus-stack 70.4.2 both appVersion v0.81.0",
  },
  {
    what: "Immich's server and machine learning are one release",
    pins: [
      { kind: "image", key: "immichServer" },
      { kind: "image", key: "immichMachineLearning" },
    ],
    known: [],
    evidence: "immich-app/immich releases both images per tag",
  },
  {
    what: "the Authentik server runs the release its blueprint is typed with (@goauthentik/api)",
    pins: [
      { kind: "version", key: "authentik" },
      { kind: "npm", name: "@goauthentik/api" },
    ],
    known: [],
    evidence: "@goauthentik/api release builds are generated from the server release of the same version (goauthentik/client-ts)",
  },
];

/** What the resolver reads besides lib/versions.ts. */
export interface PinSources {
  /** package.json `dependencies` and `devDependencies`. */
  npm: Readonly<Record<string, string>>;
  /** The text of every workflow and composite action. */
  workflows: readonly string[];
  /** Versions to assume instead (by `pinName`): what a proposed change would pin. */
  overrides?: Readonly<Record<string, string>>;
}

/** The version a pin holds today. */
export function pinnedVersion(pin: Pin, sources: PinSources): string {
  const override = sources.overrides?.[pinName(pin)];
  if (override !== undefined) return override;
  switch (pin.kind) {
    case "version":
      return versions[pin.key];
    case "image":
      return images[pin.key].tag;
    case "chart":
      return charts[pin.key].version;
    case "gatewayApi":
      return gatewayApiVersion;
    case "npm": {
      const version = sources.npm[pin.name];
      if (!version) throw new Error(`package.json does not depend on ${pin.name}`);
      return version;
    }
    case "action": {
      const pattern = new RegExp(`uses: ${pin.repo.replace(/[/.]/g, "\\$&")}@[0-9a-f]{40} # (v[\\w.]+)`);
      const found = sources.workflows.map((w) => pattern.exec(w)?.[1]).filter((v): v is string => v !== undefined);
      if (found.length === 0) throw new Error(`no workflow uses ${pin.repo} pinned by commit with a version comment`);
      return found.sort((a, b) => compareVersions(a, b))[0]!;
    }
  }
}

/** A readable name of the pin, for messages. */
export function pinName(pin: Pin): string {
  switch (pin.kind) {
    case "version":
      return `versions.${pin.key}`;
    case "image":
      return `images.${pin.key}`;
    case "chart":
      return `charts.${pin.key}`;
    case "gatewayApi":
      return "gatewayApiVersion";
    case "npm":
      return `package.json ${pin.name}`;
    case "action":
      return `workflow action ${pin.repo}`;
  }
}

/** The numeric parts of a version (`v1.2.3-apache` → [1, 2, 3]; calendar versions the same). */
function numbers(version: string): number[] {
  return (/^v?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? "").split(".").filter((p) => p !== "").map(Number);
}

export function compareVersions(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One line per feature a pin lacks, and per pair that drifted apart. */
export function featureVersionProblems(sources: PinSources, requirements: readonly FeatureRequirement[] = featureRequirements): string[] {
  const problems: string[] = [];
  for (const r of requirements) {
    const pinned = pinnedVersion(r.pin, sources);
    if (compareVersions(pinned, r.minimum) < 0) problems.push(`${pinName(r.pin)} ${pinned} lacks "${r.feature}", which needs ${r.minimum} or later (${r.evidence})`);
    if (r.below && compareVersions(pinned, r.below) >= 0) problems.push(`${pinName(r.pin)} ${pinned} is past "${r.feature}", which holds below ${r.below} (${r.evidence})`);
  }
  for (const group of movesTogether) {
    const pinned = group.pins.map((p) => pinnedVersion(p, sources));
    const ok = group.known.length > 0 ? group.known.some((k) => k.every((v, i) => v === pinned[i])) : pinned.every((v) => v === pinned[0]);
    if (!ok) problems.push(`${group.pins.map(pinName).join(" and ")} (${pinned.join(", ")}) must move together: ${group.what} (${group.evidence})`);
  }
  return problems;
}
