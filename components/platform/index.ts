import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { applicationManifest, clusterApplications, previousWave, type PlannedApplication } from "../../lib/platform/applications";
import type { ClusterContext } from "../../lib/platform/context";
import { namespaces, platformObjects, pulumiSecrets, type PlatformObject, type PulumiSecretSpec } from "../../lib/platform/objects";
import { charts, gatewayApiVersion } from "../../lib/versions";

export interface PlatformSecrets {
  /** Connector token of this cluster's tunnel (PROD, CLOUD). */
  tunnelToken?: pulumi.Input<string>;
  /** OIDC client secret per app (identity layer). */
  oidcClientSecrets: pulumi.Input<Record<string, string>>;
  /** S3 key of the backup bucket, for Velero. */
  backupAccessKeyId: pulumi.Input<string>;
  backupSecretKey: pulumi.Input<string>;
  /** Bitwarden Secrets Manager machine-account token for the ClusterSecretStore. */
  bitwardenAccessToken: pulumi.Input<string>;
  /** Alertmanager's rendered configuration (it holds the ntfy and Telegram tokens). */
  alertmanagerConfig: pulumi.Input<string>;
}

/** Everything the platform renders from config and catalog, computed before any resource exists. */
export interface PreparedPlatform {
  context: ClusterContext;
  applications: PlannedApplication[];
  objects: PlatformObject[];
  secrets: PulumiSecretSpec[];
}

/** Renders and checks the platform of a cluster; throws (with the app and reason) before anything is created. */
export function preparePlatform(context: ClusterContext): PreparedPlatform {
  const applications = clusterApplications(context);
  const objects = platformObjects(context);
  const running = new Set(applications.map((a) => a.app.name));
  const orphans = objects.filter((o) => o.after.some((app) => !running.has(app)));
  if (orphans.length > 0) {
    throw new Error(`platform ${context.cluster}: ${orphans.map((o) => `${o.id} waits for ${o.after.join(", ")}`).join("; ")}, which do not all run on this cluster`);
  }
  return { context, applications, objects, secrets: pulumiSecrets(context) };
}

export interface PlatformArgs {
  prepared: PreparedPlatform;
  /** Omni service-account kubeconfig of the cluster (secret). */
  kubeconfig: pulumi.Input<string>;
  secrets: PlatformSecrets;
}

function secretValue(spec: PulumiSecretSpec["keys"][string], secrets: PlatformSecrets, cookieSecret: pulumi.Output<string>): pulumi.Input<string> {
  switch (spec.from) {
    case "tunnelToken":
      if (!secrets.tunnelToken) throw new Error("platform: a cloudflared Secret needs the cluster's tunnel token, and none was given");
      return secrets.tunnelToken;
    case "oidc":
      return pulumi.output(secrets.oidcClientSecrets).apply((all) => {
        const value = all[spec.app];
        if (!value) throw new Error(`platform: no OIDC client secret for "${spec.app}" in the cloud stack's oidcClientSecrets`);
        return value;
      });
    case "backup":
      return pulumi.interpolate`[default]\naws_access_key_id=${secrets.backupAccessKeyId}\naws_secret_access_key=${secrets.backupSecretKey}\n`;
    case "bitwarden":
      return secrets.bitwardenAccessToken;
    case "cookieSecret":
      return cookieSecret;
    case "literal":
      return spec.value;
    case "alertmanagerConfig":
      return secrets.alertmanagerConfig;
  }
}

/**
 * The platform of one cluster (epics 1.4, 1.5, 2.1–2.3, 2.5): Pulumi installs only what ArgoCD
 * needs to work — the Gateway API CRDs, Cilium and ArgoCD — then creates one ArgoCD Application
 * per catalog app in sync-wave order (each wave waits until the previous one is Synced and
 * Healthy), hands Cilium and ArgoCD themselves over to their Applications, and adds the objects
 * the charts' controllers need (issuers, secret store, storage classes, LAN pool, Gateway,
 * databases). Secrets come from Pulumi secrets or Bitwarden, never from Git.
 */
export class Platform extends pulumi.ComponentResource {
  readonly applications: PlannedApplication[];

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:platform:Platform", name, {}, opts);
    const { context: ctx, objects, secrets: secretSpecs } = args.prepared;
    const cluster = ctx.cluster;
    this.applications = args.prepared.applications;

    const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: args.kubeconfig, enableServerSideApply: true }, { parent: this });
    const inCluster = { parent: this, provider };

    const gatewayCrds = new k8s.yaml.v2.ConfigFile(`${name}-gateway-api-crds`, {
      file: `https://github.com/kubernetes-sigs/gateway-api/releases/download/${gatewayApiVersion}/standard-install.yaml`,
    }, inCluster);

    const namespaceResources = new Map<string, k8s.core.v1.Namespace>();
    for (const ns of namespaces(cluster)) {
      namespaceResources.set(ns.metadata.name, new k8s.core.v1.Namespace(`${name}-ns-${ns.metadata.name}`, { metadata: ns.metadata }, inCluster));
    }
    const nsDependency = (namespace: string) => (namespaceResources.get(namespace) ? [namespaceResources.get(namespace)!] : []);

    const cookieSecret = new random.RandomBytes(`${name}-oauth2-proxy-cookie`, { length: 32 }, { parent: this }).base64;
    const secretResources: k8s.core.v1.Secret[] = [];
    for (const spec of secretSpecs) {
      secretResources.push(new k8s.core.v1.Secret(`${name}-secret-${spec.namespace}-${spec.name}`, {
        metadata: { name: spec.name, namespace: spec.namespace, labels: { "homelab.dev/cluster": cluster, ...spec.labels } },
        type: "Opaque",
        stringData: Object.fromEntries(Object.entries(spec.keys).map(([key, source]) => [key, pulumi.secret(secretValue(source, args.secrets, cookieSecret))])),
      }, { ...inCluster, dependsOn: nsDependency(spec.namespace) }));
    }

    // Bootstrap only: ArgoCD's Applications own Cilium and ArgoCD afterwards (same chart, version
    // and values, from the same planned Application), so Pulumi ignores later changes to them.
    const bootstrap = (app: "cilium" | "argocd", dependsOn: pulumi.Resource[]) => {
      const planned = this.applications.find((a) => a.app.name === app)!;
      const chart = charts[planned.chart];
      return new k8s.helm.v3.Release(`${name}-${app}`, {
        name: app,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace: planned.namespace,
        values: planned.values,
      }, { ...inCluster, dependsOn, ignoreChanges: ["values", "version"] });
    };
    const ciliumRelease = bootstrap("cilium", [gatewayCrds]);
    const argocdRelease = bootstrap("argocd", [ciliumRelease, ...nsDependency("argocd"), ...secretResources]);

    // Applications, wave by wave.
    const byName = new Map<string, k8s.apiextensions.CustomResource>();
    const ordered = [...this.applications].sort((a, b) => a.wave - b.wave || a.app.name.localeCompare(b.app.name));
    const databaseObjects = new Map<string, k8s.apiextensions.CustomResource>();
    // An object is created right after the last of the Applications it needs.
    const createObjectsCompletedBy = (app: string) => {
      for (const object of objects.filter((o) => o.after.includes(app) && o.after.every((a) => byName.has(a)))) {
        const resource = new k8s.apiextensions.CustomResource(object.id, object.object, {
          ...inCluster,
          dependsOn: [...object.after.map((a) => byName.get(a)!), ...nsDependency(object.object.metadata.namespace ?? "")],
        });
        if (object.object.kind === "Cluster") databaseObjects.set(String(object.object.metadata.labels?.["homelab.dev/app"]), resource);
      }
    };
    for (const planned of ordered) {
      const previous = previousWave(this.applications, planned.wave);
      const waitFor = previous === undefined ? [] : this.applications.filter((a) => a.wave === previous).map((a) => byName.get(a.app.name)!);
      const database = databaseObjects.get(planned.app.name);
      const application = new k8s.apiextensions.CustomResource(`${name}-app-${planned.app.name}`, applicationManifest(planned, cluster), {
        ...inCluster,
        dependsOn: [argocdRelease, ...waitFor, ...(database ? [database] : []), ...nsDependency(planned.namespace)],
        customTimeouts: { create: "30m", update: "30m" },
      });
      byName.set(planned.app.name, application);
      createObjectsCompletedBy(planned.app.name);
    }
    for (const object of objects.filter((o) => o.after.length === 0)) {
      new k8s.apiextensions.CustomResource(object.id, object.object, { ...inCluster, dependsOn: nsDependency(object.object.metadata.namespace ?? "") });
    }

    this.registerOutputs({ applications: this.applications.map((a) => a.app.name) });
  }
}
