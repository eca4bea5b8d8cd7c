/**
 * What each Application's pods need before they can start (Secrets they mount or read, ConfigMaps
 * they mount), who creates each of those, and the rule between them: a pod input must never wait
 * for the Application that needs it (or for anything that waits for that Application). Otherwise
 * the pod stays in ContainerCreating, the Application never turns Healthy, and Pulumi waits on
 * both forever — the Bitwarden deadlock of the first deployment.
 */
import type { Values } from "../catalog/types";
import type { ChartKey } from "../versions";
import type { PlannedApplication } from "./argocd-applications";
import type { PlatformObject, PulumiSecretSpec } from "./objects";
import { enabled, valueAt, valueOr } from "./values-path";

export interface PodInput {
  kind: "Secret" | "ConfigMap";
  name: string;
  /** The values that make the chart's pods need it. */
  because: string;
}

const secret = (name: unknown, because: string): PodInput[] => (typeof name === "string" && name !== "" ? [{ kind: "Secret", name, because }] : []);

/** Secret references inside container env entries (`valueFrom.secretKeyRef`), wherever they are. */
function envSecrets(env: unknown, where: string): PodInput[] {
  const entries = Array.isArray(env) ? env : env !== null && typeof env === "object" ? Object.values(env) : [];
  return entries.flatMap((e) => {
    const ref = (e as { valueFrom?: { secretKeyRef?: { name?: string; optional?: boolean } } } | null)?.valueFrom?.secretKeyRef;
    return ref && ref.optional !== true ? secret(ref.name, where) : [];
  });
}

/** Per chart: the Secrets and ConfigMaps its pods mount or read without `optional`, for the given values (read in its templates at the pinned version). */
const chartPodInputs: Partial<Record<ChartKey, (values: Values) => PodInput[]>> = {
  // bitwarden-sdk-server v0.6.0 templates/deployment.yaml: a `secret` volume of image.tls.secretName.
  externalSecrets: (v) =>
    enabled(v, "bitwarden-sdk-server.enabled", false) && enabled(v, "bitwarden-sdk-server.image.tls.enabled", true)
      ? secret(valueOr(v, "bitwarden-sdk-server.image.tls.secretName", "bitwarden-tls-certs"), "bitwarden-sdk-server.image.tls")
      : [],
  // external-dns 1.21.1: `env` is copied into the container.
  externalDns: (v) => envSecrets(v.env, "env"),
  // velero 12.1.0: the `cloud-credentials` volume from credentials.existingSecret.
  velero: (v) => (enabled(v, "credentials.useSecret", true) ? secret(valueAt(v, "credentials.existingSecret"), "credentials.existingSecret") : []),
  // connector 0.1.31: `envFrom.secretRef` of connector.existingSecret, `optional: false`.
  twingateConnector: (v) => secret(valueAt(v, "connector.existingSecret"), "connector.existingSecret"),
  // oauth2-proxy 7.12.9: client id, secret and cookie secret from config.existingSecret.
  oauth2Proxy: (v) => secret(valueAt(v, "config.existingSecret"), "config.existingSecret"),
  // kube-prometheus-stack 70.4.2: Alertmanager's configSecret; grafana 8.11: extraSecretMounts.
  kubePrometheusStack: (v) => [
    ...(enabled(v, "alertmanager.alertmanagerSpec.useExistingSecret", false) ? secret(valueAt(v, "alertmanager.alertmanagerSpec.configSecret"), "alertmanager.alertmanagerSpec.configSecret") : []),
    ...((valueAt(v, "grafana.extraSecretMounts") as { secretName?: string }[] | undefined) ?? []).flatMap((m) => secret(m.secretName, "grafana.extraSecretMounts")),
  ],
  // bjw-s common 4.1.1: env `secretKeyRef`s, and `secret`/`configMap` persistence items.
  appTemplate: (v) => {
    const inputs: PodInput[] = [];
    for (const [id, controller] of Object.entries((v.controllers ?? {}) as Record<string, { containers?: Record<string, { env?: unknown }>; initContainers?: Record<string, { env?: unknown }> }>)) {
      for (const [name, container] of Object.entries({ ...controller.containers, ...controller.initContainers })) inputs.push(...envSecrets(container.env, `controllers.${id}.${name}.env`));
    }
    for (const [id, item] of Object.entries((v.persistence ?? {}) as Record<string, { type?: string; name?: string }>)) {
      if (item.type === "secret") inputs.push(...secret(item.name, `persistence.${id}`));
      if (item.type === "configMap" && item.name) inputs.push({ kind: "ConfigMap", name: item.name, because: `persistence.${id}` });
    }
    return inputs;
  },
};

/** The pod inputs of one planned Application. */
export function podInputs(planned: PlannedApplication): PodInput[] {
  return chartPodInputs[planned.chart]?.(planned.values) ?? [];
}

/** Who makes a Secret or ConfigMap exist: a Pulumi-written Secret (no wait) or a platform object (after its Applications). */
interface Producer {
  what: string;
  after: readonly string[];
}

/** The Secrets and ConfigMaps a platform object creates (or makes its controller create). */
function producedBy(object: PlatformObject): { kind: PodInput["kind"]; name: string }[] {
  const doc = object.object as { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
  switch (doc.kind) {
    case "ExternalSecret":
      return [{ kind: "Secret", name: String((doc.spec?.target as { name?: string } | undefined)?.name ?? doc.metadata.name) }];
    case "Certificate":
      return [{ kind: "Secret", name: String(doc.spec?.secretName) }];
    // CloudNativePG writes `<cluster>-app` (the owner's credentials) once the cluster is initialised.
    case "Cluster":
      return object.object.apiVersion.startsWith("postgresql.cnpg.io/") ? [{ kind: "Secret", name: `${doc.metadata.name}-app` }] : [];
    case "Secret":
    case "ConfigMap":
      return [{ kind: doc.kind, name: doc.metadata.name }];
    default:
      return [];
  }
}

/**
 * For every pod input of every Application: something creates it, and that something waits for
 * neither the Application itself nor an Application of a later wave (which waits for it).
 * Returns one line per problem.
 */
export function podInputProblems(cluster: string, applications: readonly PlannedApplication[], objects: readonly PlatformObject[], secrets: readonly PulumiSecretSpec[]): string[] {
  const problems: string[] = [];
  const waveOf = new Map(applications.map((a) => [a.app.name, a.wave]));
  const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
  const producers = new Map<string, Producer>();
  for (const s of secrets) producers.set(key("Secret", s.namespace, s.name), { what: `the Pulumi Secret ${s.namespace}/${s.name}`, after: [] });
  for (const object of objects) {
    const namespace = object.object.metadata.namespace ?? "";
    for (const made of producedBy(object)) producers.set(key(made.kind, namespace, made.name), { what: object.id, after: object.after });
  }
  for (const planned of applications) {
    for (const input of podInputs(planned)) {
      const producer = producers.get(key(input.kind, planned.namespace, input.name));
      const where = `${cluster}/${planned.app.name}`;
      if (!producer) {
        problems.push(`${where} needs ${input.kind} ${planned.namespace}/${input.name} (${input.because}), which nothing on the cluster creates`);
        continue;
      }
      const blocking = producer.after.filter((a) => a === planned.app.name || (waveOf.get(a) ?? -1) > planned.wave);
      if (blocking.length > 0) {
        problems.push(`${where} needs ${input.kind} ${planned.namespace}/${input.name} (${input.because}), produced by ${producer.what} after ${blocking.join(", ")}, which cannot be Healthy before ${planned.app.name} is: a deadlock`);
      }
    }
  }
  return problems;
}

/**
 * Pod inputs a release's own post-install hook creates. Helm waits for the release's pods before it
 * runs post-install hooks (pkg/action/install.go: `KubeClient.Wait` then `execHook(HookPostInstall)`),
 * so a release installed with Helm's wait would never finish: such a bootstrap release skips it.
 */
export function hookProducedInputs(planned: Pick<PlannedApplication, "chart" | "values">): PodInput[] {
  const v = planned.values;
  // cilium 1.17.3 templates/hubble/tls-cronjob/job.yaml (`helm.sh/hook: post-install,post-upgrade`)
  // writes hubble-relay-client-certs, which hubble-relay mounts without `optional`.
  if (planned.chart === "cilium" && enabled(v, "hubble.enabled", false) && enabled(v, "hubble.relay.enabled", false) && enabled(v, "hubble.tls.enabled", true) && valueOr(v, "hubble.tls.auto.method", "helm") === "cronJob") {
    return [{ kind: "Secret", name: "hubble-relay-client-certs", because: "hubble.tls.auto.method: cronJob" }];
  }
  return [];
}
