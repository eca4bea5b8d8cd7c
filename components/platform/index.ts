import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterName } from "../../lib/catalog/types";
import { outpostAccount } from "../../lib/identity/authentik";
import { labels } from "../../lib/markers";
import { applicationManifest, awaitedBefore, creationOrder, type PlannedApplication } from "../../lib/platform/argocd-applications";
import { bootstrapCrdBundles } from "../../lib/platform/crds";
import { hookProducedInputs } from "../../lib/platform/pod-inputs";
import type { SecretSource } from "../../lib/platform/documents";
import type { PlatformObject } from "../../lib/platform/objects";
import type { PreparedPlatform } from "../../lib/platform/prepare";
import type { BackupTarget } from "../../lib/platform/cluster-context";
import { charts } from "../../lib/versions";

export interface PlatformSecrets {
  /** Connector token of this cluster's tunnel (PROD, CLOUD). */
  tunnelToken?: pulumi.Input<string>;
  /** OIDC client secret per app (identity layer). */
  oidcClientSecrets: pulumi.Input<Record<string, string>>;
  /** Authentik API token per service account (identity layer): the cluster's outpost reads its own. */
  serviceAccountTokens: pulumi.Input<Record<string, string>>;
  /** S3 key of the backup bucket, for Velero. */
  backupAccessKeyId: pulumi.Input<string>;
  backupSecretKey: pulumi.Input<string>;
  /** The management VM's restic password (cloud stack only): the CLOUD drill reads its repository. */
  mgmtResticPassword?: pulumi.Input<string>;
  /** Bitwarden Secrets Manager machine-account token for the ClusterSecretStore. */
  bitwardenAccessToken: pulumi.Input<string>;
  /** Alertmanager's rendered configuration (it holds the ntfy and Telegram tokens). */
  alertmanagerConfig: pulumi.Input<string>;
  /** PROD: the Twingate connector's token pair (the cloud stack mints it). */
  twingateConnector?: { accessToken: pulumi.Input<string>; refreshToken: pulumi.Input<string> };
  /** CLOUD: the Twingate service key of the nodes' headless client. */
  twingateServiceKey?: pulumi.Input<string>;
}

export interface PlatformArgs {
  /** The cluster's platform, rendered and checked before any resource (lib/platform/prepare.ts). */
  prepared: PreparedPlatform;
  /** Omni service-account kubeconfig of the cluster (secret). */
  kubeconfig: pulumi.Input<string>;
  secrets: PlatformSecrets;
}

function secretValue(spec: SecretSource, secrets: PlatformSecrets, cluster: ClusterName, backup: BackupTarget): pulumi.Input<string> {
  const oidcSecretOf = (app: string) =>
    pulumi.output(secrets.oidcClientSecrets).apply((all) => {
      const value = all[app];
      if (!value) throw new Error(`platform: no OIDC client secret for "${app}" in the cloud stack's oidcClientSecrets`);
      return value;
    });
  switch (spec.from) {
    case "tunnelToken":
      if (!secrets.tunnelToken) throw new Error("platform: a cloudflared Secret needs the cluster's tunnel token, and none was given");
      return secrets.tunnelToken;
    case "oidc":
      return oidcSecretOf(spec.app);
    case "oidcDocument":
      return oidcSecretOf(spec.app).apply((secret) => spec.template.split("${clientSecret}").join(secret));
    case "outpostToken": {
      const account = outpostAccount(cluster);
      return pulumi.output(secrets.serviceAccountTokens).apply((all) => {
        const value = all[account];
        if (!value) throw new Error(`platform: no token for the outpost account "${account}" in the cloud stack's serviceAccountTokens; run pulumi up -s cloud first`);
        return value;
      });
    }
    case "backup":
      switch (spec.part) {
        case "credentialsFile":
          return pulumi.interpolate`[default]\naws_access_key_id=${secrets.backupAccessKeyId}\naws_secret_access_key=${secrets.backupSecretKey}\n`;
        case "accessKeyId":
          return secrets.backupAccessKeyId;
        case "secretKey":
          return secrets.backupSecretKey;
        case "region":
          return backup.region;
        case "resticRepository":
          return pulumi.interpolate`s3:${backup.s3Endpoint}/${backup.bucket}/${spec.path}`;
      }
      break;
    case "mgmtResticPassword":
      if (!secrets.mgmtResticPassword) throw new Error("platform: the management VM's restic drill needs its password, which only the cloud stack has");
      return secrets.mgmtResticPassword;
    case "bitwarden":
      return secrets.bitwardenAccessToken;
    case "literal":
      return spec.value;
    case "alertmanagerConfig":
      return secrets.alertmanagerConfig;
    case "twingateConnector":
      if (!secrets.twingateConnector) throw new Error("platform: the Twingate connector's Secret needs the token pair from the cloud stack, and none was given");
      return spec.token === "access" ? secrets.twingateConnector.accessToken : secrets.twingateConnector.refreshToken;
    case "twingateServiceKey":
      if (!secrets.twingateServiceKey) throw new Error("platform: the Twingate client's Secret needs the service key from the Twingate component, and none was given");
      return secrets.twingateServiceKey;
  }
}

/**
 * The platform of one cluster (epics 1.4, 1.5, 2.1–2.3, 2.5): Pulumi installs only what ArgoCD
 * needs to work — the CRD bundles every wave relies on (Gateway API with TLSRoute, the
 * prometheus-operator's) and the bootstrap releases (Cilium, then ArgoCD) — then
 * creates one ArgoCD Application per catalog app in sync-wave order (each wave waits until the
 * previous one is Synced and Healthy), hands the bootstrap releases over to their Applications,
 * and adds the objects the charts' controllers need. Secrets come from Pulumi secrets or
 * Bitwarden, never from Git.
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

    // CRDs before anything that renders their kinds (lib/platform/crds.ts checks the order).
    const crdBundles: pulumi.Resource[] = bootstrapCrdBundles().map((bundle) => {
      if (bundle.source.kind === "manifest") return new k8s.yaml.v2.ConfigFile(`${name}-${bundle.id}`, { file: bundle.source.url }, inCluster);
      const chart = charts[bundle.source.chart];
      return new k8s.helm.v3.Release(`${name}-${bundle.id}`, {
        name: chart.chart,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace: bundle.source.namespace,
      }, inCluster);
    });

    const namespaceResources = new Map<string, k8s.core.v1.Namespace>();
    for (const ns of args.prepared.namespaces) {
      namespaceResources.set(ns.metadata.name, new k8s.core.v1.Namespace(`${name}-ns-${ns.metadata.name}`, { metadata: ns.metadata }, inCluster));
    }
    const nsDependency = (namespace: string) => (namespaceResources.get(namespace) ? [namespaceResources.get(namespace)!] : []);

    const secretResources: k8s.core.v1.Secret[] = [];
    for (const spec of secretSpecs) {
      secretResources.push(new k8s.core.v1.Secret(`${name}-secret-${spec.namespace}-${spec.name}`, {
        metadata: { name: spec.name, namespace: spec.namespace, labels: { [labels.cluster]: cluster, ...spec.labels } },
        type: "Opaque",
        stringData: Object.fromEntries(Object.entries(spec.keys).map(([key, source]) => [key, pulumi.secret(secretValue(source, args.secrets, cluster, ctx.backup))])),
      }, { ...inCluster, dependsOn: nsDependency(spec.namespace) }));
    }

    // Bootstrap only: ArgoCD's Applications own these releases afterwards (same chart, version
    // and values, from the same planned Application), so Pulumi ignores later changes to them.
    // The last one (ArgoCD) also waits for the Secrets it reads.
    const bootstraps = this.applications.filter((a) => a.bootstrap !== undefined).sort((a, b) => a.bootstrap! - b.bootstrap!);
    let previous: pulumi.Resource[] = crdBundles;
    bootstraps.forEach((planned, i) => {
      const chart = charts[planned.chart];
      const last = i === bootstraps.length - 1;
      previous = [new k8s.helm.v3.Release(`${name}-${planned.app.name}`, {
        name: planned.release,
        chart: chart.chart,
        version: chart.version,
        repositoryOpts: { repo: chart.repo },
        namespace: planned.namespace,
        values: planned.values,
        // Helm waits for the pods before post-install hooks; a release whose hook writes a Secret
        // its pods mount (Hubble's certificates) would wait forever (lib/platform/pod-inputs.ts).
        skipAwait: hookProducedInputs(planned).length > 0,
        timeout: 900,
      }, { ...inCluster, dependsOn: [...previous, ...(last ? [...nsDependency(planned.namespace), ...secretResources] : [])], ignoreChanges: ["values", "version"] })];
    });
    const argocdRelease = previous;

    // Applications, wave by wave.
    const byName = new Map<string, k8s.apiextensions.CustomResource>();
    const databaseObjects = new Map<string, k8s.apiextensions.CustomResource>();
    // What an Application's pods need before it can be Healthy (objects with `before`).
    const neededBy = new Map<string, k8s.apiextensions.CustomResource[]>();
    const createObject = (object: PlatformObject) => {
      const resource = new k8s.apiextensions.CustomResource(object.id, object.object, {
        ...inCluster,
        dependsOn: [...object.after.map((a) => byName.get(a)!), ...nsDependency(object.object.metadata.namespace ?? "")],
        ...(object.before.length > 0 ? { customTimeouts: { create: "15m", update: "15m" } } : {}),
      });
      if (object.object.kind === "Cluster") databaseObjects.set(String(object.object.metadata.labels?.[labels.app]), resource);
      for (const app of object.before) neededBy.set(app, [...(neededBy.get(app) ?? []), resource]);
    };
    // Objects that wait for nothing first; every other object right after the last Application it needs.
    objects.filter((o) => o.after.length === 0).forEach(createObject);
    const createObjectsCompletedBy = (app: string) => objects.filter((o) => o.after.includes(app) && o.after.every((a) => byName.has(a))).forEach(createObject);
    for (const planned of creationOrder(this.applications)) {
      // Only the previous wave's awaited Applications: one whose health rests on the home path
      // (awaitHealth false) holds up nothing.
      const waitFor = awaitedBefore(this.applications, planned.wave).map((a) => byName.get(a.app.name)!);
      const database = databaseObjects.get(planned.app.name);
      const application = new k8s.apiextensions.CustomResource(`${name}-app-${planned.app.name}`, applicationManifest(planned, cluster), {
        ...inCluster,
        dependsOn: [...argocdRelease, ...waitFor, ...(database ? [database] : []), ...(neededBy.get(planned.app.name) ?? []), ...nsDependency(planned.namespace)],
        customTimeouts: { create: "30m", update: "30m" },
      });
      byName.set(planned.app.name, application);
      createObjectsCompletedBy(planned.app.name);
    }

    this.registerOutputs({ applications: this.applications.map((a) => a.app.name) });
  }
}
