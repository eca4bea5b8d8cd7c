/**
 * The marks the program writes so that the policies, the budgets and the platform can read the
 * catalog back from resources: Kubernetes labels and annotations, the DNS record comment, the
 * instance metadata key of the management VM's project, the tunnel's catch-all, and the text that
 * stands for every secret value in the offline plan. Named once; everyone imports them from here.
 */
import type { Tier } from "./catalog/types";

/** OCI freeform tags the program puts on its instances and network security groups (`role` is mgmt or talos). */
export const ociTags = { homelab: "homelab", role: "role" } as const;

export const labels = {
  /** `lan` on Services (and the Gateway) that the catalog marks LAN-only; Cilium announces only these. */
  exposure: "homelab.dev/exposure",
  /** The cluster a Kubernetes object belongs to (dev, prod, cloud). */
  cluster: "homelab.dev/cluster",
  /** The catalog app an object belongs to. */
  app: "homelab.dev/app",
  /** ArgoCD Application: the sync wave (0–4) the catalog gives the app. */
  wave: "homelab.dev/wave",
  /** The backup class of a backup object (ReplicationSource, ScheduledBackup). */
  backupClass: "homelab.dev/backup-class",
  /** Restore-drill CronJobs, their Jobs and pods (the alerts select them by name, this finds them). */
  backupDrill: "homelab.dev/restore-drill",
  /** ArgoCD Application: what Pulumi waits for, `healthy` or `synced` (health outside the cluster's control). */
  awaits: "homelab.dev/awaits",
  /** Omni machine label that selects a MachineClass (set in Omni: Machines → labels, or omnictl). */
  machineRole: "homelab.dev/role",
} as const;

/**
 * Labels the program adds to scraped series (Prometheus relabelling), read back by the alert rules.
 * `backup_class`: on the metrics of a CloudNativePG cluster whose database has a backup class; a
 * database of class none has no backup, and its `cnpg_collector_last_available_backup_timestamp`
 * is 0 forever (CNPG 1.25.1 pg_collector.go: "if there is no timestamp we report ... the zero value").
 */
export const metricLabels = { backupClass: "backup_class" } as const;

export const annotations = {
  /** Pulumi's await annotation on an Application: what "ready" means before the next wave. */
  waitFor: "pulumi.com/waitFor",
  /** ArgoCD's own ordering annotation (kept for readers of ArgoCD; Pulumi enforces the order). */
  argoSyncWave: "argocd.argoproj.io/sync-wave",
  /** Requests an Application's pods reserve on its cluster (its DaemonSets excepted), read by the plan's cluster budget. */
  requestsCpuM: "homelab.dev/requests-cpu-m",
  requestsMemoryMi: "homelab.dev/requests-memory-mi",
  /** What each of its DaemonSet pods reserves, on every node it runs on (`all`, or the `schedulable` ones). */
  requestsPerNodeCpuM: "homelab.dev/requests-per-node-cpu-m",
  requestsPerNodeMemoryMi: "homelab.dev/requests-per-node-memory-mi",
  perNodeOn: "homelab.dev/per-node-on",
  /** Routes whose DNS record external-dns may write (Pulumi owns every catalog hostname). */
  externalDns: "homelab.dev/dns",
  /** Cilium LB-IPAM: the fixed LAN address of a LoadBalancer, and the key under which Services share it. */
  lbIps: "lbipam.cilium.io/ips",
  lbSharingKey: "lbipam.cilium.io/sharing-key",
  /** Cilium ≥ 1.17: the other namespaces a shared address may be shared with (both sides must name each other). */
  lbSharingNamespaces: "lbipam.cilium.io/sharing-cross-namespace",
  /** Velero's opt-in file-system backup: the pod volumes Velero copies (standard-class volumes only). */
  veleroBackupVolumes: "backup.velero.io/backup-volumes",
  /** Volsync runs its movers as root with DAC_OVERRIDE in namespaces that allow it (docs/usage/permissionmodel.rst). */
  volsyncPrivilegedMovers: "volsync.backube/privileged-movers",
} as const;

/** Kubernetes Pod Security admission labels (Talos enforces `baseline` wherever they are absent). */
export const podSecurityLabels = {
  enforce: "pod-security.kubernetes.io/enforce",
  audit: "pod-security.kubernetes.io/audit",
  warn: "pod-security.kubernetes.io/warn",
} as const;

/** Instance metadata key of the management VM's Compose project (base64 tar.gz, Authentik blueprints inside). */
export const projectMetadataKey = "homelab-project";

/** The tunnel's catch-all service: anything not routed gets a 404 from Cloudflare. */
export const catchAllService = "http_status:404";

/** What the offline plan (and every error line) puts in place of a secret value. */
export const secretPlaceholder = "[secret]";

/** Prefix of the Cloudflare DNS record comment that carries an app's catalog identity. */
export const dnsCommentPrefix = "homelab:";

export interface AppComment {
  app: string;
  tier: string | undefined;
  groups: string[];
  /** `clients=machines`: an endpoint machines reach with their own credentials (no Access in front). */
  machines: boolean;
  /** `exception=<name>`: a DNS-only record to an origin, allowed by that ingress exception (lib/ingress-exceptions.ts). */
  exception?: string;
}

/** The DNS record comment `homelab:app=<name>;tier=<tier>;groups=<a,b>[;clients=machines][;exception=<name>]`. */
export function formatAppComment(app: string, tier: Tier, groupNames: readonly string[], clients: "people" | "machines" = "people", exception?: string): string {
  const base = `${dnsCommentPrefix}app=${app};tier=${tier};groups=${groupNames.join(",")}`;
  return `${base}${clients === "machines" ? ";clients=machines" : ""}${exception ? `;exception=${exception}` : ""}`;
}

export function parseAppComment(comment: string | undefined): AppComment | undefined {
  if (!comment || !comment.startsWith(dnsCommentPrefix)) return undefined;
  const fields = new Map(
    comment
      .slice(dnsCommentPrefix.length)
      .split(";")
      .map((pair) => pair.split("=") as [string, string | undefined]),
  );
  const groupsField = fields.get("groups") ?? "";
  const exception = fields.get("exception");
  return {
    app: fields.get("app") ?? "?",
    tier: fields.get("tier"),
    groups: groupsField === "" ? [] : groupsField.split(","),
    machines: fields.get("clients") === "machines",
    ...(exception ? { exception } : {}),
  };
}
