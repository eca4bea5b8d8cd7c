/**
 * What an app of the homelab is, as one record: who may reach it, where it runs, how it is
 * deployed, how it is reached, how people sign in, what it keeps and what secrets it needs. DNS,
 * tunnel routes, Cloudflare Access, SSO, ArgoCD Applications, secrets, databases, probes and the
 * policies all derive from these records (lib/catalog/apps/*.ts); nothing else lists apps.
 */
import type { ClusterContext } from "../platform/cluster-context";
import type { TemplateAppSpec } from "../platform/app-template";
import type { KubernetesDocument, SecretSource } from "../platform/documents";
import type { IngressExceptionName } from "../ingress-exceptions";
import type { ChartKey } from "../versions";
import type { OidcClient } from "../identity/oidc-client";

/** Who may reach an app. */
export type Tier = "admin" | "family" | "public";

export const clusterNames = ["dev", "prod", "cloud"] as const;
/** The three Talos clusters. */
export type ClusterName = (typeof clusterNames)[number];

/**
 * ArgoCD sync wave (story 1.4.4): 0 CNI/certificates/secrets, 1 storage,
 * 2 DNS/gateway/databases, 3 monitoring, 4 user apps.
 */
export type SyncWave = 0 | 1 | 2 | 3 | 4;

/** CPU in millicores and memory in MiB; `limitMemoryMi` defaults to twice the request. */
export interface Resources {
  cpuM: number;
  memoryMi: number;
  limitMemoryMi?: number;
}

/** What one pod of a DaemonSet reserves on every node it runs on. */
export interface PerNodeResources extends Resources {
  /** `all`: it tolerates the control planes' taint too (CNI, node exporters); `schedulable`: only where workloads run. */
  on: "all" | "schedulable";
}

export type Placement =
  | {
      kind: "cluster";
      /** Clusters the ArgoCD Application targets. */
      clusters: readonly ClusterName[];
      /** Namespace the app is installed into. */
      namespace: string;
      syncWave: SyncWave;
      /**
       * What the app reserves on each cluster it runs on, all its pods together except its
       * DaemonSets: the Helm values carry it to the workloads and the plan's cluster budget sums it
       * against the nodes. For an app-template app the budget counts the rendered containers
       * (setup sidecars included) instead.
       */
      resources: Resources;
      /**
       * `false`: Pulumi waits only until its Application is Synced, and no later wave waits for
       * it, because its health depends on something outside the cluster that may be down (the
       * home NFS through Twingate). CLOUD apps that mount the home media are so by themselves.
       */
      awaitHealth?: false;
      /** Its DaemonSet pods: one per node, counted once per node by the budget. */
      perNode?: PerNodeResources;
      /**
       * `static-egress`: its pods run on the CLOUD node whose public IP is reserved, so the
       * services it calls see one stable address (FR-014, Comet and Real-Debrid). App-template apps.
       */
      pinned?: "static-egress";
    }
  | {
      kind: "mgmt-vm";
      /**
       * What serves the app on oci-mgmt: a Compose service, or `host` for the VM itself (its
       * sshd). The mgmt tunnel's connector runs in the host's network namespace, so every origin
       * there is a loopback port (lib/routes.ts) that this service listens on.
       */
      composeService: string;
    };

/** A LAN port of a LoadBalancer Service (home clusters only). */
export interface LanPort {
  name: string;
  port: number;
  protocol: "TCP" | "UDP";
}

/**
 * How an app is reached. Every internet path goes through the Cloudflare Tunnel, except the
 * named ingress exceptions (lib/ingress-exceptions.ts) that the tunnel cannot carry.
 */
export type Exposure =
  | {
      kind: "tunnel";
      /** Left-most DNS label: `<subdomain>.<domain>` (`<subdomain>-<cluster>` when on several clusters). */
      subdomain: string;
      /** The port the tunnel forwards to: the Service port in a cluster, the container port on the VM. */
      port: number;
      /** URL scheme of the origin (`https`: Omni, whose certificate names its public hostnames, not the loopback origin). Default `http`. */
      scheme?: "http" | "https" | "ssh";
      /**
       * For third-party charts: the chart component whose Service the tunnel reaches (a key of the
       * chart's naming rule in lib/platform/chart-services.ts, which also knows its port); a part
       * of another release defaults to its `component`. App-template apps leave it out: their
       * Service is named after the app.
       */
      service?: string;
      /**
       * Who connects. `machines`: Talos nodes, kubectl and CI with their own credentials (Omni
       * join token, service-account keys), which Cloudflare Access would lock out; such a route
       * must authenticate in the app (`auth: "app-native"`). Default `people`.
       */
      clients?: "people" | "machines";
      /** Path regexes the tunnel answers with 404 instead of forwarding (an admin UI kept off the internet). */
      blockedPaths?: readonly string[];
    }
  /**
   * Straight to the management VM's public address on a DNS-only record, through one named
   * ingress exception (its port, its NSG rule, its host firewall rule). Only for protocols the
   * tunnel cannot carry (Omni's gRPC APIs); the app authenticates every request itself.
   */
  | {
      kind: "direct";
      /** Left-most DNS label: `<subdomain>.<domain>`, an A record to the VM's public IPv4. */
      subdomain: string;
      /** The exception that opens its port; the port is the exception's. */
      exception: IngressExceptionName;
      /** Who connects (see the tunnel exposure); default `people`. */
      clients?: "people" | "machines";
    }
  /** Only on the home LAN, through a LoadBalancer IP announced by Cilium L2 (home clusters only). */
  | {
      kind: "lan";
      /** Which configured LAN address: the DNS address (AdGuard) or the Gateway's (shared). */
      address: "dns" | "gateway";
      ports: readonly LanPort[];
    }
  /** No route from outside the cluster. */
  | { kind: "internal" };

/**
 * How users sign in (FR-008). Tier 1 is Authentik: `oidc` and `saml` when the app is a client of
 * Authentik itself, `outpost` when the app has no SSO and Authentik's proxy outpost stands in the
 * request path (tunnel → outpost → app), signing people in before anything reaches the app.
 * Tier 2, `app-native`, is the app's own accounts. `none` is for public apps and machine-only
 * endpoints.
 */
export type AuthMode = "oidc" | "saml" | "outpost" | "app-native" | "none";

/**
 * How an app is safe on its first start, before anyone reaches it (issue 15): every app people
 * reach through the tunnel or the LAN declares one, and the plan refuses one that does not.
 */
export type FirstBoot =
  /**
   * The app creates its admin itself on first start from a secret (Kubernetes Secret filled from
   * Bitwarden for a cluster app; the stack config key for an app of the management VM), so its
   * web installer never shows.
   */
  | { mode: "admin-from-secret"; secret: string }
  /**
   * The app opens a first-run endpoint (the first caller becomes admin). A setup container in the
   * app's pod claims it through localhost with the admin from the Bitwarden secret `secret`; its
   * readiness gates the pod, so the app's Service (the only origin of its tunnel and LAN routes)
   * has no endpoint until the claim is done. The script is idempotent: an already-claimed answer
   * counts as done. App-template apps only.
   */
  | { mode: "claimed-by-setup"; secret: string; script: (ctx: ClusterContext, app: AppRecord) => SetupScript }
  /** Nothing to claim: there is no installer, or configuration closes it; `reason` says which. */
  | { mode: "closed"; reason: string };

/** The steps a setup container runs (lib/platform/setup.ts wraps them with its helpers). */
export interface SetupScript {
  /** The URL that answers once the app is up (the container waits for it). */
  waitFor: string;
  /** POSIX shell, run with `set -eu` after the app answers, the secret's keys as files under $SECRETS. */
  steps: string;
}

/**
 * Backup class (FR-025) of an app's data: its volumes, its database and the datasets it mounts.
 * The class alone decides schedule, retention, destination, bandwidth and restore drills
 * (lib/backup/classes.ts): `critical` daily off-site with drills, `standard` weekly off-site,
 * `bulk` to the destination named in config (too large for the Always Free bucket), `none`.
 */
export type BackupClass = "critical" | "standard" | "bulk" | "none";

/**
 * What an app's backed-up data is expected to hold (GiB, before compression), for the plan's
 * off-site budget. Without it the budget counts the requested sizes (the volumes' and the
 * database's), an upper bound; the drills and `restic stats` show the real figure.
 */
export interface BackupSize {
  volumesGi?: number;
  databaseGi?: number;
}

/** Values of a Helm chart. */
export type Values = Record<string, unknown>;

/** How a cluster app is deployed: one ArgoCD Application per cluster it runs on. */
export type Deployment =
  /** A third-party chart with its values builder. */
  | {
      kind: "chart";
      chart: ChartKey;
      /** Helm release name when it differs from the app name (it names the chart's Services). */
      release?: string;
      /** The chart's `fullnameOverride`, set in its values by the platform (it names the chart's Services). */
      fullnameOverride?: string;
      values: (ctx: ClusterContext, app: AppRecord) => Values;
      /**
       * Installed by Pulumi before ArgoCD exists (then handed to its Application): the CNI and
       * ArgoCD itself. The number orders the bootstrap releases.
       */
      bootstrap?: number;
    }
  /** The bjw-s app-template chart, from a compact spec (lib/platform/app-template.ts). */
  | { kind: "template"; spec: (ctx: ClusterContext, app: AppRecord) => TemplateAppSpec }
  /**
   * Deployed by another app's release (Hubble's UI by Cilium, Grafana by kube-prometheus-stack):
   * `component` is the part's key in that chart (its values and its Service naming rule).
   */
  | { kind: "part-of"; app: string; component: string };

/** A Kubernetes Secret that External Secrets fills from Bitwarden Secrets Manager. */
export interface BitwardenSecret {
  /** Secret name (and ExternalSecret name). */
  name: string;
  /** Namespace; default the app's. */
  namespace?: string;
  /** Secret key → Bitwarden secret key (the admin creates these once, docs/platform.md). */
  keys: Readonly<Record<string, string>>;
  /** Keys rendered from a template whose values are the Bitwarden keys above (ExternalSecret target template). */
  template?: (ctx: ClusterContext) => Readonly<Record<string, string>>;
}

/** A Kubernetes Secret the Platform writes from Pulumi secrets (never from Git). */
export interface PulumiSecret {
  name: string;
  /** Namespace; default the app's. */
  namespace?: string;
  labels?: Readonly<Record<string, string>>;
  keys: Readonly<Record<string, SecretSource>>;
}

/** An object the app's controller (or its CRDs) must exist for: created once its Applications are ready. */
export interface AppObject {
  /** Unique within the cluster; the resource is `<cluster>-<id>`. */
  id: string;
  object: KubernetesDocument;
  /** Applications that must be Synced and Healthy first; default this app. `[]`: no wait. */
  after?: readonly string[];
  /**
   * Applications whose pods need this object (a Secret it fills, a volume it provides): they are
   * created only once it exists, and it must never wait for them (lib/platform/pod-inputs.ts).
   */
  before?: readonly string[];
}

/**
 * The app's side of OIDC, as its upstream documents it: the callback paths it sends as
 * `redirect_uri`. The Authentik provider registers exactly these on the app's hosts, and the app's
 * own settings are built from the same client (lib/catalog/sign-in.ts), so both sides agree.
 */
export interface OidcSettings {
  /** Paths on each of the app's hosts (tunnel and LAN) that the app sends as redirect_uri. */
  callbacks: readonly string[];
  /** Redirect URIs that are not on the app's hosts (a mobile app's scheme, a CLI on localhost), registered as given. */
  otherRedirectUris?: readonly string[];
  /** The app checks this group claim itself too (besides Authentik's binding): where its config names the group. */
  appChecksGroups?: boolean;
  /**
   * Files the app needs with its client secret inside (a config file, a settings document): added
   * to its OIDC Secret, each `${clientSecret}` replaced by the secret when the Secret is written.
   */
  documents?: (client: OidcClient) => Readonly<Record<string, string>>;
}

/** An app behind Authentik's proxy outpost. */
export interface OutpostSettings {
  /**
   * Path regexes the outpost forwards without a sign-in (clients that cannot follow a login page
   * and authenticate in the app). The app must never trust identity headers on these paths.
   */
  unauthenticatedPaths?: readonly string[];
}

/** How the app uses Authentik (beyond `auth`). */
export interface SsoSettings {
  /**
   * Whether the app gets an application in Authentik's portal. Default: every non-public app
   * that people reach, or that signs in with OIDC.
   */
  portal?: boolean;
  /** The portal link when the app has no host of its own: a path on another app's host. */
  link?: { app: string; path: string };
  /** Required with `auth: "oidc"`: the app's callback paths. */
  oidc?: OidcSettings;
  /** With `auth: "outpost"`: what the outpost lets through unauthenticated. */
  outpost?: OutpostSettings;
  /** Where the app expects its client id and secret (default `<app>-oidc`, keys clientId and clientSecret). */
  secret?: { name?: string; clientIdKey?: string | false; clientSecretKey?: string; labels?: Readonly<Record<string, string>>; extraKeys?: Readonly<Record<string, SecretSource>> };
}

export interface AppRecord<N extends string = string> {
  /** Stable identifier: DNS-label safe, used in resource names, Authentik slugs and Helm releases. */
  name: N;
  /** What the family sees in "My applications" and on the dashboard. */
  title: string;
  /** One line for the dashboard. */
  description: string;
  tier: Tier;
  /** Authentik groups bound to the app; admin apps: only `admin`; public apps: none. */
  groups: readonly GroupName[];
  placement: Placement;
  /** Required for cluster apps. */
  deploy?: Deployment;
  exposure: Exposure;
  auth: AuthMode;
  sso?: SsoSettings;
  /** Required for every app people reach (tunnel or LAN route): how its first start is safe. */
  firstBoot?: FirstBoot;
  backup: BackupClass;
  /** Expected size of the backed-up data, for the off-site budget (default: the requested sizes). */
  backupSize?: BackupSize;
  /** Secrets from Bitwarden and from Pulumi, and objects created after the app is ready. */
  bitwardenSecrets?: readonly BitwardenSecret[];
  pulumiSecrets?: readonly PulumiSecret[];
  objects?: (ctx: ClusterContext, app: AppRecord) => readonly AppObject[];
  /** Its namespace needs the `privileged` Pod Security level (host access: CNI, storage, node agents). */
  privileged?: boolean;
  /**
   * `homelab:usbDevices` may name it: the app-template renderer passes each device listed for it
   * into its container and runs it on the node the device is attached to. Only these apps may be
   * named there, so a device never maps to a VM without reaching a container.
   */
  takesUsbDevices?: true;
  /** The StorageClass it provides; the one on a cluster is the cluster's default class. */
  storageClass?: string;
  /** What the program needs this app for (see `appRoles`). */
  role?: AppRole;
  /** Stories that ask for the app, so a reader can trace it back. */
  stories: readonly string[];
}

/**
 * What the program needs a particular app for, beyond deploying it: code finds these apps by role,
 * never by name, and the catalog check requires each role it needs exactly once. `reached`: by
 * its own public hostname, or only through the routes of the apps it serves (the outpost).
 */
export const appRoles = {
  "identity-provider": { required: true, why: "issues every OIDC and SAML client, hosts the portal", reached: "tunnel" },
  "cluster-manager": { required: true, why: "Omni's API and UI (cluster templates, omnictl)", reached: "tunnel" },
  "machine-join": { required: true, why: "where Talos machines join Omni (SideroLink)", reached: "tunnel" },
  "kubernetes-proxy": { required: true, why: "Omni's Kubernetes API proxy (kubeconfigs point here)", reached: "tunnel" },
  notifications: { required: true, why: "receives alerts and security events (ntfy)", reached: "tunnel" },
  automation: { required: false, why: "receives Authentik's provisioning webhook unless homelab:provisioningWebhookUrl names another", reached: "tunnel" },
  "auth-proxy": { required: false, why: "Authentik's proxy outpost: the origin of the apps signing in with auth \"outpost\" on the clusters it runs on", reached: "through-others" },
} as const;
export type AppRole = keyof typeof appRoles;

/** Authentik groups. `admin` is the operator; `family-validated` is every invited family member. */
export const groups = {
  admin: "admin",
  family: "family-validated",
} as const;
export type GroupName = (typeof groups)[keyof typeof groups];
export const familyGroups: readonly GroupName[] = [groups.family];

/** A catalog record whose name type is inferred as its literal, so the catalog knows its app names. */
export function defineApp<const N extends string>(record: AppRecord<N>): AppRecord<N> {
  return record;
}
