import { strict as assert } from "node:assert";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { apps, groups, type ClusterName } from "../lib/catalog";
import { adguardBlocklists } from "../lib/platform/adguard";
import { applicationManifest, type PlannedApplication } from "../lib/platform/argocd-applications";
import { appsOnCluster } from "../lib/platform/cluster-context";
import { parse } from "yaml";
import { chartSchemaIssues, pinnedChartValues, unknownChartKeys } from "../lib/validate/chart-values";
import { assertMatchesSchema, schemaDirectory, type SchemaOptions } from "../lib/validate/schemas";
import { validateKubernetesObject, type KubernetesObject } from "../lib/validate/kubernetes";
import { charts } from "../lib/versions";
import { noPublicIngress, syncWaves, type PolicyResourceView } from "../policies/rules";
import { types } from "../policies/types";
import { editObject, exampleConfig, examplePlan, plan, preparedPlatform } from "./helpers";

const clusters: ClusterName[] = ["dev", "prod", "cloud"];
const prepared = (cluster: ClusterName) => preparedPlatform(cluster);
const appOf = (cluster: ClusterName, name: string): PlannedApplication => prepared(cluster).applications.find((a) => a.app.name === name)!;

const appTemplateBase = "https://raw.githubusercontent.com/bjw-s-labs/helm-charts/common-4.1.1/charts/library/common/";
function appTemplateRefs(): Record<string, string> {
  const refs: Record<string, string> = { [`${appTemplateBase}values.schema.json`]: "helm/bjw-s-common-4.1.1/values.schema.json" };
  for (const file of readdirSync(join(schemaDirectory(), "helm/bjw-s-common-4.1.1/schemas"))) refs[`${appTemplateBase}schemas/${file}`] = `helm/bjw-s-common-4.1.1/schemas/${file}`;
  return refs;
}
/** Charts that ship an upstream values schema, and where it is. */
/** Charts that ship an upstream values schema, and how to check our values (an overlay Helm merges onto the chart's defaults). */
const valuesSchemas: Partial<Record<PlannedApplication["chart"], () => [string, SchemaOptions]>> = {
  certManager: () => ["helm/cert-manager-v1.21.1.values.schema.json", { overlay: true }],
  externalSecrets: () => ["helm/external-secrets-2.9.0.values.schema.json", { overlay: true }],
  externalDns: () => ["helm/external-dns-1.21.1.values.schema.json", { overlay: true }],
  velero: () => ["helm/velero-12.1.0.values.schema.json", { overlay: true }],
  // Not an overlay: the connector block is ours in full, and its oneOf (tokens or existingSecret) needs its `required` lists.
  twingateConnector: () => ["helm/twingate-connector-0.1.31.values.schema.json", {}],
  appTemplate: () => ["helm/bjw-s-common-4.1.1/app-template-4.1.1.values.schema.json", { references: appTemplateRefs() }],
};

describe("platform: the catalog drives ArgoCD", () => {
  for (const cluster of clusters) {
    it(`${cluster}: one Application per catalog app (parts ride with their release), at its wave, with the pinned chart`, () => {
      const p = prepared(cluster);
      const expected = appsOnCluster(cluster, apps).filter((a) => a.deploy?.kind !== "part-of").map((a) => a.name).sort();
      assert.deepEqual(p.applications.map((a) => a.app.name).sort(), expected);
      for (const planned of p.applications) {
        const manifest = applicationManifest(planned, cluster);
        assert.equal(manifest.spec.source.targetRevision, charts[planned.chart].version);
        assert.equal(manifest.metadata.labels["homelab.dev/wave"], String(planned.app.placement.kind === "cluster" ? planned.app.placement.syncWave : -1));
        assert.equal(manifest.spec.destination.namespace, planned.namespace);
      }
    });
  }

  it("validates every Application against the ArgoCD CRD schema, and every platform object against its Kubernetes or CRD schema", () => {
    let checked = 0;
    for (const cluster of clusters) {
      const p = prepared(cluster);
      for (const planned of p.applications) {
        validateKubernetesObject(applicationManifest(planned, cluster) as unknown as KubernetesObject);
        checked++;
      }
      for (const object of [...p.objects.map((o) => o.object), ...p.namespaces]) {
        validateKubernetesObject(object as unknown as KubernetesObject);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} objects checked`);
  });

  it("the object check can fail: a ClusterIssuer without a solver type and an Application without destination are refused", () => {
    const issuer = prepared("prod").objects.find((o) => o.object.kind === "ClusterIssuer")!.object;
    assert.throws(() => validateKubernetesObject({ ...issuer, spec: { acme: { server: 42 } } } as unknown as KubernetesObject), /does not match its schema/);
    const app = applicationManifest(appOf("prod", "cert-manager"), "prod") as unknown as { spec: Record<string, unknown> };
    assert.throws(() => validateKubernetesObject({ ...app, spec: { ...app.spec, destination: "nowhere" } } as unknown as KubernetesObject), /does not match its schema/);
  });

  it("validates Helm values against each chart's upstream schema, merged over the chart's own values.yaml as Helm does (app-template: its schema alone)", () => {
    const seen = new Set<string>();
    for (const cluster of clusters) {
      for (const planned of prepared(cluster).applications) {
        if (pinnedChartValues[planned.chart]) {
          assert.deepEqual(chartSchemaIssues(planned.chart, planned.values), [], `${cluster}/${planned.app.name}`);
          seen.add(planned.chart);
          continue;
        }
        const schema = valuesSchemas[planned.chart];
        if (!schema) continue;
        const [path, options] = schema();
        assertMatchesSchema(`${cluster}/${planned.app.name} values`, JSON.parse(JSON.stringify(planned.values)), path, options);
        seen.add(planned.chart);
      }
    }
    // Cilium, CloudNativePG and the Twingate connector joined with their pinned schemas (issue 12).
    assert.deepEqual([...seen].sort(), ["appTemplate", "certManager", "cilium", "cloudnativePg", "externalDns", "externalSecrets", "twingateConnector", "velero"]);
  });

  it("the merged check can fail: a wrong type, and a user null that deletes a value the chart's schema requires", () => {
    assert.ok(chartSchemaIssues("cilium", { ...appOf("prod", "cilium").values, encryption: { enabled: "yes", type: "wireguard" } }).some((i) => i.path === "/encryption/enabled"));
    // The connector's schema requires connector.network (oneOf with existingSecret); a user null removes it.
    const twingate = appOf("prod", "twingate-connector").values as { connector: Record<string, unknown> };
    const issues = chartSchemaIssues("twingateConnector", { ...twingate, connector: { ...twingate.connector, network: null } });
    assert.ok(issues.some((i) => /required property 'network'/.test(i.message)), JSON.stringify(issues));
  });

  it("reports every key a chart neither defines nor reads (Twingate's podLabels was one, now additionalLabels)", () => {
    const unknown = clusters.flatMap((cluster) => prepared(cluster).applications.flatMap((planned) => unknownChartKeys(planned.chart, planned.values).map((k) => `${cluster}/${planned.app.name}: ${k}`)));
    assert.deepEqual(unknown, []);
    assert.deepEqual(unknownChartKeys("twingateConnector", { ...appOf("prod", "twingate-connector").values, podLabels: { a: "b" } }), ["podLabels"]);
    assert.deepEqual(unknownChartKeys("cilium", { ...appOf("prod", "cilium").values, kubeProxyReplacment: true, hubble: { relay: { enabeld: true } } }).sort(), ["hubble.relay.enabeld", "kubeProxyReplacment"]);
  });

  it("the values check can fail: an unknown cert-manager key and a misspelled app-template field are refused", () => {
    assert.throws(() => assertMatchesSchema("cert-manager", { ...appOf("prod", "cert-manager").values, installCRDz: true }, "helm/cert-manager-v1.21.1.values.schema.json", { overlay: true }), /installCRDz/);
    assert.throws(() => assertMatchesSchema("velero", { ...appOf("prod", "velero").values, snapshotsEnabled: "no" }, "helm/velero-12.1.0.values.schema.json", { overlay: true }), /\/snapshotsEnabled: must be boolean/);
    const connector = appOf("prod", "twingate-connector").values as { connector: Record<string, unknown> };
    assert.throws(() => assertMatchesSchema("twingate", { ...connector, connector: { existingSecret: "twingate-connector" } }, "helm/twingate-connector-0.1.31.values.schema.json"), /\/connector: must match exactly one schema in oneOf/);
    const [path, options] = valuesSchemas.appTemplate!();
    const values = appOf("prod", "komga").values as { controllers: { app: Record<string, unknown> } };
    assert.throws(() => assertMatchesSchema("komga", { ...values, controllers: { app: { ...values.controllers.app, replicaz: 2 } } }, path, options), /replicaz/);
  });
});

describe("platform: what the charts are told", () => {
  it("Cilium: kube-proxy replacement through KubePrism, Gateway API, Hubble relay and UI, WireGuard; L2 announcements at home only", () => {
    const prod = appOf("prod", "cilium").values as Record<string, unknown> & { hubble: { relay: { enabled: boolean }; ui: { enabled: boolean } } };
    assert.equal(prod.kubeProxyReplacement, true);
    assert.equal(prod.k8sServiceHost, "localhost");
    assert.equal(prod.k8sServicePort, 7445);
    assert.deepEqual(prod.gatewayAPI, { enabled: true, gatewayClass: { create: "true" }, externalTrafficPolicy: "Cluster" });
    assert.deepEqual(prod.encryption, { enabled: true, type: "wireguard" });
    assert.equal(prod.hubble.relay.enabled, true);
    assert.equal(prod.hubble.ui.enabled, true);
    assert.deepEqual(prod.l2announcements, { enabled: true });
    assert.deepEqual((appOf("cloud", "cilium").values as Record<string, unknown>).l2announcements, { enabled: false });
  });

  it("ArgoCD: Authentik OIDC, the admin group is admin and everyone else gets nothing", () => {
    const values = appOf("prod", "argocd").values as { configs: { cm: Record<string, string>; rbac: Record<string, string> } };
    assert.match(values.configs.cm["oidc.config"]!, /issuer: https:\/\/auth\.example\.com\/application\/o\/argocd\//);
    assert.match(values.configs.cm["oidc.config"]!, /clientSecret: \$argocd-oidc:clientSecret/);
    assert.equal(values.configs.rbac["policy.default"], "");
    assert.equal(values.configs.rbac["policy.csv"], `g, ${groups.admin}, role:admin\n`);
    assert.equal(values.configs.cm["admin.enabled"], false as unknown as string);
  });

  it("cert-manager issuers for staging and prod by Cloudflare DNS-01, Bitwarden store through the SDK server with TLS", () => {
    const objects = prepared("prod").objects.map((o) => o.object);
    const issuers = objects.filter((o) => o.kind === "ClusterIssuer" && String(o.metadata.name).startsWith("letsencrypt"));
    assert.deepEqual(issuers.map((i) => i.metadata.name).sort(), ["letsencrypt-prod", "letsencrypt-staging"]);
    for (const issuer of issuers) {
      const solver = (issuer as unknown as { spec: { acme: { solvers: { dns01: { cloudflare: { apiTokenSecretRef: { name: string } } } }[] } } }).spec.acme.solvers[0]!;
      assert.equal(solver.dns01.cloudflare.apiTokenSecretRef.name, "cloudflare-dns-token");
    }
    const store = objects.find((o) => o.kind === "ClusterSecretStore")! as unknown as { spec: { provider: { bitwardensecretsmanager: Record<string, unknown> } } };
    assert.equal(store.spec.provider.bitwardensecretsmanager.bitwardenServerSDKURL, "https://bitwarden-sdk-server.external-secrets.svc.cluster.local:9998");
    assert.deepEqual(store.spec.provider.bitwardensecretsmanager.caProvider, { type: "Secret", name: "bitwarden-tls-certs", namespace: "external-secrets", key: "ca.crt" });
  });

  it("storage: local-path default on DEV and CLOUD, Longhorn with one replica on PROD's single worker, nfs-media to the Proxmox exports", () => {
    assert.equal((appOf("dev", "local-path").values as { storageClass: { defaultClass: boolean } }).storageClass.defaultClass, true);
    assert.equal((appOf("cloud", "local-path").values as { storageClass: { defaultClass: boolean } }).storageClass.defaultClass, true);
    const longhorn = appOf("prod", "longhorn").values as { persistence: { defaultClass: boolean; defaultClassReplicaCount: number } };
    assert.deepEqual([longhorn.persistence.defaultClass, longhorn.persistence.defaultClassReplicaCount], [true, 1]);
    const nfs = prepared("prod").objects.find((o) => o.object.kind === "StorageClass")!.object as unknown as { metadata: { name: string }; parameters: Record<string, string> };
    assert.equal(nfs.metadata.name, "nfs-media");
    // Expected value changed on purpose (issue 13): `/tank/media` itself is not exported.
    assert.deepEqual([nfs.parameters.server, nfs.parameters.share], ["192.0.2.10", "/tank/media/volumes"]);
  });

  it("AdGuard Home answers DNS on a LAN-only LoadBalancer address, never on the tunnel", () => {
    const values = appOf("prod", "adguard-home").values as { service: Record<string, { type?: string; labels?: Record<string, string>; loadBalancerSourceRanges?: string[]; annotations?: Record<string, string>; ports: Record<string, { port: number; protocol?: string }> }> };
    const lan = values.service.lan!;
    assert.equal(lan.type, "LoadBalancer");
    assert.deepEqual(lan.labels, { "homelab.dev/exposure": "lan", "homelab.dev/cluster": "prod" });
    assert.deepEqual(lan.loadBalancerSourceRanges, ["192.0.2.0/24"]);
    assert.equal(lan.annotations!["lbipam.cilium.io/ips"], "192.0.2.226");
    assert.deepEqual(Object.values(lan.ports).map((p) => `${p.port}/${p.protocol}`).sort(), ["443/TCP", "53/TCP", "53/UDP", "853/TCP"]);
  });

  it("mounts the pool the hypervisor creates: one key for both", () => {
    const raw = editObject<{ zfsPool?: string }>(exampleConfig("prod"), "homelab:proxmox", (h) => (h.zfsPool = "media"));
    const share = preparedPlatform("prod", raw).objects.find((o) => o.object.kind === "StorageClass")!.object as unknown as { parameters: { share: string } };
    // Expected value changed on purpose (issue 13): the class shares the exported media/volumes dataset.
    assert.equal(share.parameters.share, "/media/media/volumes");
  });

  it("AdGuard Home starts with the blocklists, DoT/DoH on the cert-manager certificate and a password-protected admin from Bitwarden", () => {
    const seed = prepared("prod").objects.find((o) => o.object.metadata.name === "adguard-seed")!.object as unknown as {
      spec: { target: { template: { data: Record<string, string> } }; data: { remoteRef: { key: string } }[] };
    };
    const text = seed.spec.target.template.data["AdGuardHome.yaml"]!;
    // The password hash is the only template action, so the rest reaches AdGuard verbatim.
    assert.deepEqual(text.match(/\{\{[^}]*\}\}/g), ["{{ .passwordHash }}"]);
    const config = parse(text.replace("{{ .passwordHash }}", "$2y$10$hash")) as { users: { name: string; password: string }[]; tls: Record<string, unknown>; filters: { url: string; enabled: boolean }[] };
    assert.deepEqual(config.users, [{ name: "admin", password: "$2y$10$hash" }]);
    assert.deepEqual([config.tls.enabled, config.tls.port_https, config.tls.port_dns_over_tls, config.tls.certificate_path], [true, 443, 853, "/certs/tls.crt"]);
    // The blocklists, then the LAN names list the catalog renders (a local file AdGuard re-reads hourly).
    assert.deepEqual(config.filters.map((f) => f.url), [...adguardBlocklists.map((b) => b.url), "/opt/adguardhome/lan/homelab-lan.txt"]);
    assert.equal(seed.spec.data[0]!.remoteRef.key, "homelab-adguard-admin-bcrypt");
    const values = appOf("prod", "adguard-home").values as { controllers: { app: { initContainers: { seed: { command: string[] } } } } };
    assert.match(values.controllers.app.initContainers.seed.command[2]!, /; \[ -f \/opt\/adguardhome\/conf\/AdGuardHome\.yaml \] \|\| cp \/seed\/AdGuardHome\.yaml /);
  });

  it("external-dns owns only annotated routes, upsert-only", () => {
    const dns = appOf("prod", "external-dns").values as Record<string, unknown>;
    assert.equal(dns.policy, "upsert-only");
    assert.equal(dns.annotationFilter, "homelab.dev/dns=external-dns");
    assert.equal(dns.txtOwnerId, "homelab-prod");
  });

  it("every workload carries requests and limits from the catalog", () => {
    for (const cluster of clusters) {
      for (const planned of prepared(cluster).applications.filter((a) => a.chart === "appTemplate")) {
        const containers = (planned.values as { controllers: { app: { containers: Record<string, { resources?: { requests?: unknown; limits?: unknown } }> } } }).controllers.app.containers;
        for (const [name, container] of Object.entries(containers)) assert.ok(container.resources?.requests && container.resources.limits, `${cluster}/${planned.app.name}/${name}`);
      }
    }
  });
});

describe("platform: sync waves really order the rollout", () => {
  const applicationsOf = async (stack: "prod" | "dev") => (await examplePlan(stack)).resources.filter((r) => r.type === types.argoApplication);
  const view = (r: { type: string; name: string; urn: string; inputs: Record<string, unknown>; dependencies: string[] }): PolicyResourceView => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, dependencies: r.dependencies });

  it("makes every Application of wave N depend on every Application of the previous wave, on the planned graph", async () => {
    const apps = await applicationsOf("prod");
    assert.ok(apps.length > 15);
    const waveOf = (r: (typeof apps)[number]) => Number((r.inputs.metadata as { labels: Record<string, string> }).labels["homelab.dev/wave"]);
    for (const app of apps) {
      const lower = apps.filter((a) => waveOf(a) < waveOf(app)).map(waveOf);
      if (lower.length === 0) continue;
      const previous = Math.max(...lower);
      for (const before of apps.filter((a) => waveOf(a) === previous)) assert.ok(app.dependencies.includes(before.urn), `${app.name} does not wait for ${before.name}`);
    }
    assert.deepEqual(syncWaves.check(apps.map(view), { secretsVisible: false } as never), []);
  });

  it("catches a removed wave-(N-1) dependency and a missing readiness annotation", async () => {
    const apps = (await applicationsOf("prod")).map(view);
    const target = apps.find((a) => a.name === "prod-app-grafana" || a.name === "prod-app-prometheus")!;
    const broken = apps.map((a) => (a === target ? { ...a, dependencies: (a.dependencies ?? []).filter((d) => !d.endsWith("prod-app-external-dns")) } : a));
    const found = syncWaves.check(broken, { secretsVisible: false } as never).map((v) => v.message);
    assert.ok(found.some((m) => /does not depend on "prod-app-external-dns" \(wave 2, cluster prod\)/.test(m)), found.join("\n"));
    const unannotated = apps.map((a) => (a === target ? { ...a, props: { ...a.props, metadata: { ...(a.props.metadata as object), annotations: {} } } } : a));
    assert.ok(syncWaves.check(unannotated, { secretsVisible: false } as never).some((v) => /lacks the pulumi.com\/waitFor annotation/.test(v.message)));
  });

  it("waits on Synced and Healthy through pulumi.com/waitFor", async () => {
    const apps = await applicationsOf("dev");
    for (const app of apps) {
      const annotations = (app.inputs.metadata as { annotations: Record<string, string> }).annotations;
      assert.deepEqual(JSON.parse(annotations["pulumi.com/waitFor"]!), ["jsonpath={.status.sync.status}=Synced", "jsonpath={.status.health.status}=Healthy"]);
    }
  });
});

describe("platform: in the stacks", () => {
  it("creates the platform on prod with its secrets only as Pulumi secrets", async () => {
    const prod = await examplePlan("prod");
    const secrets = prod.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
    // twingate-connector: its token pair is minted by the cloud stack now (issue 13), no longer read from Bitwarden.
    assert.deepEqual(secrets.map((s) => (s.inputs.metadata as { name: string }).name).sort(), [
      "alertmanager-homelab",
      "argocd-oidc",
      "audiobookshelf-oidc",
      "authentik-outpost-token",
      "bitwarden-access-token",
      "cloudflared-token",
      "cnpg-s3",
      "grafana-oidc",
      "home-assistant-volsync",
      "komga-oidc",
      "twingate-connector",
      "velero-s3",
    ]);
    // The values are Pulumi secrets, so the whole stringData travels (and is stored) as one secret.
    for (const secret of secrets) assert.equal(secret.inputs.stringData, "[secret]", (secret.inputs.metadata as { name: string }).name);
    const releases = prod.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.name).sort();
    assert.deepEqual(releases, ["prod-argocd", "prod-cilium", "prod-prometheus-operator-crds"]);
  });

  it("fails the plan when a cluster's requests exceed its nodes", async () => {
    const raw = editObject<{ node: { cores: number; memoryGb: number; diskGb: number } }>(exampleConfig("dev"), "homelab:vms", (v) => (v.node = { cores: 1, memoryGb: 2, diskGb: 50 }));
    const dev = (await plan(["dev"], { dev: raw })).stacks.find((s) => s.stack === "dev")!;
    assert.equal(dev.ok, false);
    // Memory may fill 80 % of what the node leaves allocatable: 20 % headroom.
    assert.ok(dev.violations.some((v) => /^cluster\.dev\.memoryRequestsMi: 2432 MiB asked, 819 MiB available \(80 % of 1024 MiB allocatable/.test(v.message)), JSON.stringify(dev.violations));
  });

  it("no-public-ingress sees a LoadBalancer inside Helm values that is not LAN-only on a home cluster", async () => {
    const prod = await examplePlan("prod");
    const adguard = prod.resources.find((r) => r.name === "prod-app-adguard-home")!;
    const view: PolicyResourceView = { type: adguard.type, name: adguard.name, urn: adguard.urn, props: adguard.inputs };
    assert.deepEqual(noPublicIngress.check([view], { secretsVisible: false } as never), []);
    const moved = JSON.parse(JSON.stringify(adguard.inputs)) as { metadata: { labels: Record<string, string> }; spec: { source: { helm: { valuesObject: { service: { lan: { labels: Record<string, string> } } } } } } };
    moved.metadata.labels["homelab.dev/cluster"] = "cloud";
    moved.spec.source.helm.valuesObject.service.lan.labels["homelab.dev/cluster"] = "cloud";
    const found = noPublicIngress.check([{ ...view, props: moved as unknown as Record<string, unknown> }], { secretsVisible: false } as never);
    assert.ok(found.some((v) => /LoadBalancer in the Helm values of .* is only allowed when the catalog marks it LAN-only on a home cluster/.test(v.message)), JSON.stringify(found));
  });
});

describe("platform: OIDC client secrets reach the apps", () => {
  it("writes `<app>-oidc` for every OIDC app of the cluster, from the identity layer's secrets", () => {
    const cloud = prepared("cloud").secrets.filter((s) => s.name.endsWith("-oidc")).map((s) => `${s.namespace}/${s.name}`).sort();
    assert.deepEqual(cloud, ["argocd/argocd-oidc", "immich/immich-oidc", "mealie/mealie-oidc", "nextcloud/nextcloud-oidc", "vaultwarden/vaultwarden-oidc"]);
    const vaultwarden = prepared("cloud").secrets.find((s) => s.name === "vaultwarden-oidc")!;
    assert.deepEqual(vaultwarden.keys, { clientId: { from: "literal", value: "vaultwarden" }, clientSecret: { from: "oidc", app: "vaultwarden" } });
  });
});
