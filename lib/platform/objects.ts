/**
 * The Kubernetes objects the Platform component creates next to the Applications, as pure data,
 * all derived from the catalog records of the cluster's apps: namespaces (with the Pod Security
 * level the apps need), each record's own objects, the ExternalSecrets of its Bitwarden secrets,
 * a CloudNativePG cluster for each app that asks for a database, a ServiceMonitor for each app
 * with a metrics port, and the Secrets the Platform writes from Pulumi secrets. Each object names
 * the Applications it needs first (its CRDs or controller).
 */
import type { AppRecord, BitwardenSecret, PulumiSecret } from "../catalog/types";
import { labels } from "../markers";
import { images } from "../versions";
import { appsOn, type ClusterContext } from "./cluster-context";
import { backupObjects, databaseBackupSpec } from "./backup-objects";
import { shippedBackupScript } from "../backup/scripts";
import { clusterBackupItems } from "../backup/items";
import { specsOn } from "./cluster-context";
import { annotations, metricLabels } from "../markers";
import { setupConfigMap } from "./setup";
import { oidcClient } from "../identity/oidc-client";
import type { KubernetesDocument, SecretSource } from "./documents";
import { privilegedNamespaceLabels } from "./privileges";

export interface PlatformObject {
  /** Unique resource name in the stack. */
  id: string;
  object: KubernetesDocument;
  /** Applications (catalog names) that must be Synced and Healthy first. */
  after: string[];
  /** Applications that need this object before they can become Healthy: created after it. */
  before: string[];
}

/** A Secret the Platform writes from Pulumi secrets: name, namespace, where each key's value comes from. */
export interface PulumiSecretSpec {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  keys: Record<string, SecretSource>;
}

/** The namespace a cluster app is installed into. */
export function namespaceOf(app: AppRecord): string {
  if (app.placement.kind !== "cluster") throw new Error(`catalog app "${app.name}" does not run in a cluster`);
  return app.placement.namespace;
}

/** The app whose controller serves a kind of object on this cluster (for `after`): the first app with that deploy chart. */
function appWithChart(ctx: ClusterContext, chart: string): string | undefined {
  return appsOn(ctx).find((a) => a.deploy?.kind === "chart" && a.deploy.chart === chart)?.name;
}

/** The backup objects of the cluster, with the scripts the test suite drills. */
function clusterBackupObjects(ctx: ClusterContext) {
  return backupObjects(ctx, { restic: shippedBackupScript("drill-restic.sh"), database: shippedBackupScript("drill-database.sh") });
}

/**
 * Namespaces of the cluster's apps (and ArgoCD's); `privileged` where an app needs host access,
 * Talos enforces `baseline` elsewhere. Namespaces with Volsync sources let its movers read every
 * file (root with DAC_OVERRIDE, CHOWN, FOWNER: inside `baseline`).
 */
export function namespaces(ctx: ClusterContext): KubernetesDocument[] {
  const apps = appsOn(ctx);
  const movers = clusterBackupObjects(ctx).privilegedMoverNamespaces;
  const names = [...new Set(["argocd", ...apps.map(namespaceOf)])].filter((n) => n !== "kube-system").sort();
  return names.map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        [labels.cluster]: ctx.cluster,
        ...(apps.some((a) => a.privileged && namespaceOf(a) === name) ? privilegedNamespaceLabels : {}),
      },
      ...(movers.includes(name) ? { annotations: { [annotations.volsyncPrivilegedMovers]: "true" } } : {}),
    },
  }));
}

function externalSecret(ctx: ClusterContext, secret: BitwardenSecret, namespace: string): KubernetesDocument {
  const keys = Object.entries(secret.keys);
  const template = secret.template?.(ctx);
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: secret.name, namespace },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: "bitwarden" },
      target: { name: secret.name, creationPolicy: "Owner", ...(template ? { template: { engineVersion: "v2", data: template } } : {}) },
      data: keys.map(([secretKey, key]) => ({ secretKey, remoteRef: { key } })),
    },
  };
}

export function platformObjects(ctx: ClusterContext): PlatformObject[] {
  const objects: PlatformObject[] = [];
  const add = (id: string, object: KubernetesDocument, after: readonly string[], before: readonly string[] = []) =>
    objects.push({ id: `${ctx.cluster}-${id}`, object, after: [...after], before: [...before] });
  const secretStore = appWithChart(ctx, "externalSecrets");
  const postgresOperator = appWithChart(ctx, "cloudnativePg");
  const monitoring = appWithChart(ctx, "kubePrometheusStack");
  const backups = clusterBackupObjects(ctx);
  const databaseClasses = new Map(clusterBackupItems(ctx.cluster, ctx.apps, specsOn(ctx)).filter((i) => i.kind === "database").map((i) => [i.name, i.backupClass]));
  for (const object of backups.objects) objects.push({ ...object, after: [...object.after], before: [] });

  for (const app of appsOn(ctx)) {
    for (const object of app.objects?.(ctx, app) ?? []) add(object.id, object.object, object.after ?? [app.name], object.before);
    for (const secret of app.bitwardenSecrets ?? []) {
      const namespace = secret.namespace ?? namespaceOf(app);
      if (!secretStore) throw new Error(`catalog app "${app.name}" reads Bitwarden secrets on ${ctx.cluster}, where External Secrets does not run`);
      add(`externalsecret-${namespace}-${secret.name}`, externalSecret(ctx, secret, namespace), [secretStore]);
    }
    if (app.deploy?.kind !== "template") continue;
    const spec = app.deploy.spec(ctx, app);
    const namespace = namespaceOf(app);
    // The setup container's script: it needs no controller, so nothing waits for it.
    const setup = setupConfigMap(ctx, app, namespace);
    if (setup) add(`${app.name}-setup`, setup, []);
    if (spec.database) {
      if (!postgresOperator) throw new Error(`catalog app "${app.name}" asks for a database on ${ctx.cluster}, where CloudNativePG does not run`);
      const image = spec.database === "vectors" ? images.postgresVectors : images.postgres;
      const backupClass = databaseClasses.get(`${app.name}-db`);
      const backup = backupClass ? databaseBackupSpec(ctx, `${app.name}-db`, backupClass) : undefined;
      const parameters = { ...backup?.parameters };
      add(`${app.name}-db`, {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: { name: `${app.name}-db`, namespace, labels: { [labels.app]: app.name } },
        spec: {
          instances: 1,
          imageName: `${image.repository}:${image.tag}`,
          storage: { size: "5Gi", storageClass: ctx.defaultStorageClass },
          bootstrap: {
            initdb: {
              database: app.name,
              owner: app.name,
              // In the app's database (CNPG: postInitApplicationSQL runs there as superuser; postInitSQL
              // would run in `postgres`), where the owner, not a superuser, could not create them.
              ...(spec.database === "vectors" ? { postInitApplicationSQL: ["CREATE EXTENSION IF NOT EXISTS vchord CASCADE;", "CREATE EXTENSION IF NOT EXISTS earthdistance CASCADE;"] } : {}),
            },
          },
          ...(spec.database === "vectors" || backup ? { postgresql: { ...(spec.database === "vectors" ? { shared_preload_libraries: ["vchord.so"] } : {}), ...(backup ? { parameters } : {}) } } : {}),
          ...(backup ? { env: backup.env, backup: backup.backup } : {}),
          resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
          // The backup alerts read only the databases that have a backup (metricLabels.backupClass).
          monitoring: { enablePodMonitor: true, ...(backupClass ? { podMonitorRelabelings: [{ targetLabel: metricLabels.backupClass, replacement: backupClass }] } : {}) },
        },
      }, [postgresOperator]);
    }
    if (spec.metricsPort !== undefined && monitoring) {
      add(`${app.name}-servicemonitor`, {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: app.name, namespace, labels: { [labels.cluster]: ctx.cluster } },
        spec: {
          selector: { matchLabels: { "app.kubernetes.io/instance": app.name } },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ port: "metrics", path: "/metrics", interval: "1m" }],
        },
      }, [monitoring]);
    }
  }
  return objects;
}

/**
 * The OIDC client Secret of an app that signs in with OIDC: `<app>-oidc` with clientId and
 * clientSecret unless its record says otherwise, plus the documents the app needs with the secret
 * inside (lib/identity/oidc-client.ts is the one source of both sides).
 */
function oidcSecret(ctx: ClusterContext, app: AppRecord): PulumiSecret {
  const client = oidcClient(ctx.domain, ctx.apps, app);
  const documents = app.sso?.oidc?.documents?.(client) ?? {};
  return {
    name: client.secret.name,
    ...(app.sso?.secret?.labels ? { labels: app.sso.secret.labels } : {}),
    keys: {
      ...(client.secret.clientIdKey ? { [client.secret.clientIdKey]: { from: "literal", value: client.clientId } } : {}),
      [client.secret.clientSecretKey]: { from: "oidc", app: app.name },
      ...app.sso?.secret?.extraKeys,
      ...Object.fromEntries(Object.entries(documents).map(([key, template]) => [key, { from: "oidcDocument" as const, app: app.name, template }])),
    },
  };
}

/** The Secrets the Platform writes from Pulumi secrets on this cluster: each record's own, every OIDC app's client secret, and the backups' keys. */
export function pulumiSecrets(ctx: ClusterContext): PulumiSecretSpec[] {
  const specs: PulumiSecretSpec[] = clusterBackupObjects(ctx).secrets.map((s) => ({ name: s.name, namespace: s.namespace, keys: { ...s.keys } }));
  for (const app of appsOn(ctx)) {
    const own = [...(app.pulumiSecrets ?? []), ...(app.auth === "oidc" ? [oidcSecret(ctx, app)] : [])];
    for (const secret of own) {
      specs.push({ name: secret.name, namespace: secret.namespace ?? namespaceOf(app), ...(secret.labels ? { labels: { ...secret.labels } } : {}), keys: { ...secret.keys } });
    }
  }
  return specs;
}
