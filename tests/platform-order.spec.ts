/**
 * The first `pulumi up` converges: CRDs exist before any object of their kind, and nothing an
 * Application's pods need waits for that Application. Each check is also shown failing on the
 * arrangement that deadlocked before (issue 12).
 */
import { strict as assert } from "node:assert";
import type { ClusterName } from "../lib/catalog";
import { ConfigError, loadStackConfig, type CloudConfig, type ProdConfig } from "../lib/config";
import { defaultInventory } from "../lib/inventory";
import { privilegeNeed, podSecurityProblems } from "../lib/platform/privileges";
import { cloudClusterSpec, homeClusterSpec } from "../lib/talos/cluster-specs";
import { basePatches } from "../lib/talos/cluster-template";
import { talosPathProblems } from "../lib/talos/host-paths";
import { talosPatchProblems } from "../lib/talos/omni";
import type { PlannedApplication } from "../lib/platform/argocd-applications";
import { bootstrapCrdBundles, crdOrderProblems } from "../lib/platform/crds";
import { databaseProblems } from "../lib/platform/databases";
import { valueAt } from "../lib/platform/values-path";
import { chartDefaults } from "../lib/validate/chart-values";
import { lanAddressProblems, lanLoadBalancers, type LanLoadBalancer } from "../lib/platform/lan";
import { hookProducedInputs, podInputProblems, podInputs } from "../lib/platform/pod-inputs";
import type { PlatformObject } from "../lib/platform/objects";
import { editObject, exampleConfig, examplePlan, preparedPlatform } from "./helpers";

const clusters: ClusterName[] = ["dev", "prod", "cloud"];
const appOf = (cluster: ClusterName, name: string) => preparedPlatform(cluster).applications.find((a) => a.app.name === name)!;
const withValues = (planned: PlannedApplication, values: Record<string, unknown>): PlannedApplication => ({ ...planned, values: { ...planned.values, ...values } });

describe("first run: every custom kind has its CRD first", () => {
  it("holds on every cluster: charts' monitors, Gateway objects, CNPG clusters, issuers, stores", () => {
    for (const cluster of clusters) {
      const p = preparedPlatform(cluster);
      assert.deepEqual(crdOrderProblems(cluster, p.applications, p.objects), [], cluster);
    }
  });

  it("refuses a ServiceMonitor at wave 0 whose CRD would come with kube-prometheus-stack at wave 3 (the old deadlock)", () => {
    const p = preparedPlatform("prod");
    // As before this issue: the operator's CRDs shipped by kube-prometheus-stack, none by Pulumi.
    const bundles = bootstrapCrdBundles().filter((b) => b.id !== "prometheus-operator-crds");
    const applications = p.applications.map((a) => (a.app.name === "prometheus" ? withValues(a, { crds: { enabled: true } }) : a));
    const problems = crdOrderProblems("prod", applications, p.objects, bundles);
    assert.ok(
      problems.some((m) => m.startsWith("prod/cert-manager: chart cert-manager renders monitoring.coreos.com/v1/ServiceMonitor at wave 0 (prometheus.servicemonitor.enabled), but its CRD comes from prometheus (wave 3)")),
      problems.join("\n"),
    );
    assert.ok(problems.some((m) => m.startsWith("prod/external-dns: chart external-dns renders monitoring.coreos.com/v1/ServiceMonitor at wave 2")), problems.join("\n"));
    assert.ok(problems.some((m) => m.startsWith("prod/cloudnative-pg: chart cloudnative-pg renders monitoring.coreos.com/v1/PodMonitor at wave 2")), problems.join("\n"));
    // external-secrets is safe only through renderMode skipIfMissing; alwaysRender would block it too.
    assert.ok(!problems.some((m) => m.startsWith("prod/external-secrets:")));
    const eso = applications.map((a) => (a.app.name === "external-secrets" ? withValues(a, { serviceMonitor: { enabled: true, renderMode: "alwaysRender" } }) : a));
    assert.ok(crdOrderProblems("prod", eso, p.objects, bundles).some((m) => m.startsWith("prod/external-secrets: chart external-secrets renders monitoring.coreos.com/v1/ServiceMonitor at wave 0")));
  });

  it("refuses Cilium without the experimental TLSRoute CRD: its operator would disable the Gateway controller", () => {
    const p = preparedPlatform("dev");
    const standardOnly = bootstrapCrdBundles().filter((b) => b.id !== "gateway-api-tlsroute-crd");
    assert.deepEqual(crdOrderProblems("dev", p.applications, p.objects, standardOnly), [
      "dev/cilium: chart cilium needs gateway.networking.k8s.io/v1alpha2/TLSRoute when it starts, and no CRD bundle Pulumi applies before it defines it",
    ]);
  });

  it("refuses an object created before the Application that brings its CRD", () => {
    const p = preparedPlatform("cloud");
    const store = p.objects.find((o) => o.object.kind === "ClusterSecretStore")!;
    const early: PlatformObject = { ...store, after: [] };
    assert.deepEqual(crdOrderProblems("cloud", p.applications, [early]), [
      "cloud-bitwarden-store: external-secrets.io/v1/ClusterSecretStore is created after nothing, but its CRD comes from external-secrets (wave 0); add that Application to the object's after list",
    ]);
  });

  it("installs the CRD bundles before Cilium, and kube-prometheus-stack no longer owns the operator's CRDs", async () => {
    const dev = await examplePlan("dev");
    const cilium = dev.resources.find((r) => r.name === "dev-cilium")!;
    const bundleUrns = dev.resources.filter((r) => ["dev-gateway-api-crds", "dev-gateway-api-tlsroute-crd", "dev-prometheus-operator-crds"].includes(r.name)).map((r) => r.urn);
    assert.equal(bundleUrns.length, 3);
    for (const urn of bundleUrns) assert.ok(cilium.dependencies.includes(urn), `${urn} is not a dependency of Cilium`);
    const crds = dev.resources.find((r) => r.name === "dev-prometheus-operator-crds")!;
    assert.equal(crds.type, "kubernetes:helm.sh/v3:Release");
    assert.deepEqual([crds.inputs.chart, crds.inputs.version], ["prometheus-operator-crds", "19.1.0"]);
    const tls = dev.resources.find((r) => r.name === "dev-gateway-api-tlsroute-crd")!;
    assert.equal(tls.inputs.file, "https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.2.1/config/crd/experimental/gateway.networking.k8s.io_tlsroutes.yaml");
    assert.deepEqual((appOf("dev", "prometheus").values as { crds: unknown }).crds, { enabled: false });
  });
});

describe("first run: pod inputs never wait for the pods that need them", () => {
  it("holds on every cluster, and every pod input has a producer", () => {
    for (const cluster of clusters) {
      const p = preparedPlatform(cluster);
      assert.deepEqual(podInputProblems(cluster, p.applications, p.objects, p.secrets), [], cluster);
    }
  });

  it("knows what the charts' pods mount: the SDK server's TLS secret, Velero's credentials, Alertmanager's configuration", () => {
    assert.deepEqual(podInputs(appOf("prod", "external-secrets")), [{ kind: "Secret", name: "bitwarden-tls-certs", because: "bitwarden-sdk-server.image.tls" }]);
    assert.deepEqual(podInputs(appOf("prod", "velero")).map((i) => i.name), ["velero-s3"]);
    assert.deepEqual(podInputs(appOf("prod", "prometheus")).map((i) => i.name), ["alertmanager-homelab", "grafana-oidc"]);
    assert.ok(podInputs(appOf("cloud", "immich")).some((i) => i.name === "immich-db-app"));
  });

  it("refuses the Bitwarden certificate created after External Secrets is Healthy (the old deadlock)", () => {
    const p = preparedPlatform("prod");
    const old = p.objects.map((o) => (o.id === "prod-bitwarden-sdk-certificate" ? { ...o, after: ["cert-manager", "external-secrets"], before: [] } : o));
    assert.deepEqual(podInputProblems("prod", p.applications, old, p.secrets), [
      "prod/external-secrets needs Secret external-secrets/bitwarden-tls-certs (bitwarden-sdk-server.image.tls), produced by prod-bitwarden-sdk-certificate after external-secrets, which cannot be Healthy before external-secrets is: a deadlock",
    ]);
    const missing = p.objects.filter((o) => o.id !== "prod-bitwarden-sdk-certificate");
    assert.ok(podInputProblems("prod", p.applications, missing, p.secrets).some((m) => /external-secrets needs Secret external-secrets\/bitwarden-tls-certs .* which nothing on the cluster creates/.test(m)));
  });

  it("installs Cilium without Helm's wait: its post-install hook writes the Hubble relay's certificates, which Helm would wait for first", async () => {
    const cilium = appOf("dev", "cilium");
    assert.deepEqual(hookProducedInputs(cilium).map((i) => i.name), ["hubble-relay-client-certs"]);
    assert.deepEqual(hookProducedInputs({ ...cilium, values: { ...cilium.values, hubble: { enabled: true, relay: { enabled: true } } } }), [], "with Helm-generated certificates there is no hook to wait for");
    const dev = await examplePlan("dev");
    assert.equal(dev.resources.find((r) => r.name === "dev-cilium")!.inputs.skipAwait, true);
    assert.equal(dev.resources.find((r) => r.name === "dev-argocd")!.inputs.skipAwait, false);
  });

  it("creates the External Secrets Application only once its certificate is Ready, and the certificate waits for cert-manager alone", async () => {
    const prod = await examplePlan("prod");
    const certificate = prod.resources.find((r) => r.name === "prod-bitwarden-sdk-certificate")!;
    const eso = prod.resources.find((r) => r.name === "prod-app-external-secrets")!;
    const certManager = prod.resources.find((r) => r.name === "prod-app-cert-manager")!;
    assert.ok(eso.dependencies.includes(certificate.urn));
    assert.ok(certificate.dependencies.includes(certManager.urn));
    assert.ok(!certificate.dependencies.includes(eso.urn));
    assert.equal((certificate.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/waitFor"], "condition=Ready");
  });
});

describe("first run: LoadBalancers that share a LAN address really can (Cilium LB-IPAM)", () => {
  const balancers = (inventory = defaultInventory) => {
    const p = preparedPlatform("prod", undefined, inventory);
    return lanLoadBalancers(p.applications, p.objects);
  };
  // Home Assistant as it was before issue 15: a LAN LoadBalancer on the Gateway's address (it is now
  // an HTTPRoute behind the Gateway), the arrangement that made the two share one address.
  const sharedInventory = {
    ...defaultInventory,
    apps: defaultInventory.apps.map((app) =>
      app.name === "home-assistant" ? { ...app, exposure: { kind: "lan" as const, address: "gateway" as const, ports: [{ name: "http", port: 8123, protocol: "TCP" as const }] } } : app,
    ),
  };

  it("keeps the Gateway alone on its address (Home Assistant is an HTTPRoute behind it) and AdGuard alone on its own, each with its traffic policy", () => {
    const found = balancers();
    assert.deepEqual(lanAddressProblems("prod", found), []);
    assert.deepEqual(
      found.map((b) => [b.what, b.ips, b.sharingKey, b.externalTrafficPolicy]),
      [
        ["Gateway kube-system/homelab", ["192.0.2.225"], "", "Cluster"],
        // Alone on its address, AdGuard keeps Local and sees its clients' addresses.
        ["Service adguard/adguard-home (lan)", ["192.0.2.226"], "", "Local"],
      ],
    );
  });

  it("puts an app that shares the Gateway's address on it with one key, each other's namespace and one traffic policy", () => {
    const found = balancers(sharedInventory);
    assert.deepEqual(lanAddressProblems("prod", found), []);
    const byWhat = (what: string) => found.find((b) => b.what === what)!;
    const gateway = byWhat("Gateway kube-system/homelab");
    const ha = byWhat("Service home-assistant/home-assistant (lan)");
    const adguard = byWhat("Service adguard/adguard-home (lan)");
    assert.deepEqual([gateway.ips, ha.ips, adguard.ips], [["192.0.2.225"], ["192.0.2.225"], ["192.0.2.226"]]);
    assert.equal(gateway.sharingKey, ha.sharingKey);
    assert.deepEqual(gateway.crossNamespaces, ["home-assistant", "kube-system"]);
    assert.deepEqual([gateway.externalTrafficPolicy, ha.externalTrafficPolicy], ["Cluster", "Cluster"]);
    assert.equal(adguard.externalTrafficPolicy, "Local");
  });

  it("refuses the arrangement of before issue 12: no key on the Gateway, Home Assistant in another namespace with Local", () => {
    const found = balancers(sharedInventory).map((b): LanLoadBalancer => {
      if (b.what.startsWith("Gateway")) return { ...b, sharingKey: "", crossNamespaces: [] };
      if (b.what.includes("home-assistant")) return { ...b, sharingKey: "lan", crossNamespaces: [], externalTrafficPolicy: "Local" };
      return b;
    });
    assert.deepEqual(lanAddressProblems("prod", found), [
      'prod: Gateway kube-system/homelab and Service home-assistant/home-assistant (lan) both ask for LAN address 192.0.2.225, but Cilium LB-IPAM will not share it: different sharing keys ("" and "lan"); one of them would stay <pending>',
    ]);
  });

  it("names each rule LB-IPAM applies: namespaces, ports (whatever the protocol), traffic policy, selectors with Local", () => {
    const base: LanLoadBalancer = { what: "a", namespace: "x", ips: ["192.0.2.5"], sharingKey: "k", crossNamespaces: ["y"], externalTrafficPolicy: "Cluster", ports: [443], selector: { app: "a" } };
    const other = (change: Partial<LanLoadBalancer>): LanLoadBalancer => ({ ...base, what: "b", namespace: "y", crossNamespaces: ["x"], ports: [8123], selector: { app: "b" }, ...change });
    const problem = (b: LanLoadBalancer) => lanAddressProblems("c", [base, b])[0] ?? "";
    assert.equal(lanAddressProblems("c", [base, other({})]).length, 0);
    assert.match(problem(other({ crossNamespaces: [] })), /namespaces x and y do not both allow each other/);
    assert.match(problem(other({ ports: [443] })), /both use port 443/);
    assert.match(problem(other({ externalTrafficPolicy: "Local" })), /externalTrafficPolicy Cluster and Local differ/);
    assert.match(lanAddressProblems("c", [{ ...base, externalTrafficPolicy: "Local" }, other({ externalTrafficPolicy: "Local" })])[0]!, /both must select the same pods/);
  });

  it("refuses AdGuard on the Gateway's address (DoH 443 is the Gateway's port) and asks for homelab:platform.lan.dnsIp when it is missing", () => {
    // Even with one key and every namespace allowed on both sides, the port stays the Gateway's.
    const found = balancers().map((b) => {
      if (b.what.includes("adguard")) return { ...b, ips: ["192.0.2.225"], sharingKey: "homelab-lan-gateway", crossNamespaces: ["*"], externalTrafficPolicy: "Cluster" };
      return b.what.startsWith("Gateway") ? { ...b, sharingKey: "homelab-lan-gateway", crossNamespaces: ["*"] } : b;
    });
    assert.ok(lanAddressProblems("prod", found).some((m) => /Gateway kube-system\/homelab and Service adguard\/adguard-home \(lan\) .* both use port 443/.test(m)));
    const raw = editObject<{ lan: { dnsIp?: string } }>(exampleConfig("prod"), "homelab:platform", (p) => delete p.lan.dnsIp);
    // A config problem like any other: a ConfigError with one line naming the key and the fix (the plan prints no stack trace).
    assert.throws(
      () => preparedPlatform("prod", raw),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.problems.length === 1 &&
        /^homelab:platform\.lan\.dnsIp = \(missing\): cluster prod runs adguard-home on the DNS address, .*fix: pulumi config set --path 'homelab:platform\.lan\.dnsIp'/.test(e.problems[0]!),
    );
  });
});

describe("first run: Talos can hold what the platform writes, and Pod Security lets the pods run", () => {
  const specOf = (cluster: ClusterName) => {
    if (cluster === "cloud") return cloudClusterSpec(loadStackConfig("cloud", exampleConfig("cloud")).config as CloudConfig, defaultInventory.apps)!;
    return homeClusterSpec(cluster, loadStackConfig(cluster, exampleConfig(cluster)).config as ProdConfig, defaultInventory.apps, defaultInventory.rosters);
  };

  it("keeps every node path under /var with a kubelet bind mount on every machine that runs pods (local-path on DEV and CLOUD, Longhorn on PROD)", () => {
    for (const cluster of clusters) assert.deepEqual(talosPathProblems(specOf(cluster), preparedPlatform(cluster).applications), [], cluster);
    assert.deepEqual((appOf("dev", "local-path").values as { nodePathMap: unknown }).nodePathMap, [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/var/local-path-provisioner"] }]);
    const mounts = basePatches(specOf("dev")).find((p) => p.name === "local-path-mounts")!;
    assert.equal(mounts.target, "cluster");
    assert.deepEqual(talosPatchProblems(mounts.patch, mounts.name), []);
  });

  it("refuses local-path at the chart's default /opt/local-path-provisioner, and a data path without the kubelet mount", () => {
    const dev = preparedPlatform("dev").applications;
    const chartDefault = dev.map((a) => (a.app.name === "local-path" ? { ...a, values: { ...a.values, nodePathMap: undefined } } : a));
    assert.deepEqual(talosPathProblems(specOf("dev"), chartDefault), [
      "dev: local-path nodePathMap writes to /opt/local-path-provisioner, which Talos keeps read-only (or in memory); use a path under /var",
    ]);
    assert.deepEqual(talosPathProblems({ ...specOf("dev"), localPathVolumes: false }, dev), [
      "dev: local-path nodePathMap keeps volumes in /var/local-path-provisioner, but the control-plane machines' kubelet has no rshared bind mount of it (machine.kubelet.extraMounts in lib/talos/patches.ts)",
    ]);
    // PROD mounts Longhorn's directory on the workers only; were the control plane to schedule pods, it would miss it.
    assert.ok(talosPathProblems({ ...specOf("prod"), schedulesOnControlPlane: true }, preparedPlatform("prod").applications).some((m) => /longhorn .* control-plane machines' kubelet has no rshared bind mount/.test(m)));
  });

  it("labels every namespace whose pods need host access privileged (enforce, audit and warn); local-path-storage among them", () => {
    for (const cluster of clusters) {
      const p = preparedPlatform(cluster);
      assert.deepEqual(podSecurityProblems(cluster, p.applications, p.namespaces), [], cluster);
    }
    const ns = preparedPlatform("dev").namespaces.find((n) => n.metadata.name === "local-path-storage")!;
    assert.deepEqual(ns.metadata.labels, { "homelab.dev/cluster": "dev", "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/audit": "privileged", "pod-security.kubernetes.io/warn": "privileged" });
  });

  it("refuses local-path in a baseline namespace (the old catalog), and kube-prometheus-stack's node-exporter outside a privileged one", () => {
    const p = preparedPlatform("dev");
    const baseline = p.namespaces.map((n) => (n.metadata.name === "local-path-storage" ? { ...n, metadata: { ...n.metadata, labels: { "homelab.dev/cluster": "dev" } } } : n));
    assert.deepEqual(podSecurityProblems("dev", p.applications, baseline), [
      "dev/local-path: its helper pods mount the node's data path (hostPath), but namespace local-path-storage lacks pod-security.kubernetes.io/enforce, pod-security.kubernetes.io/audit, pod-security.kubernetes.io/warn=privileged; Talos enforces baseline there, so its pods would never start (mark the catalog record privileged)",
    ]);
    const kps = p.applications.find((a) => a.app.name === "prometheus")!;
    assert.equal(privilegeNeed(kps), undefined, "Alloy collects node metrics; node-exporter is off");
    assert.match(privilegeNeed({ ...kps, values: { ...kps.values, nodeExporter: { enabled: true } } }) ?? "", /node-exporter uses the host's network/);
  });
});

describe("first run: databases start with what their apps expect", () => {
  it("creates Immich's VectorChord and earthdistance in the immich database, with vchord preloaded", () => {
    const objects = preparedPlatform("cloud").objects;
    assert.deepEqual(databaseProblems(objects), []);
    const db = objects.find((o) => o.id === "cloud-immich-db")!.object as unknown as { spec: { bootstrap: { initdb: Record<string, unknown> }; postgresql: { shared_preload_libraries: string[] } } };
    assert.deepEqual(db.spec.bootstrap.initdb.postInitApplicationSQL, ["CREATE EXTENSION IF NOT EXISTS vchord CASCADE;", "CREATE EXTENSION IF NOT EXISTS earthdistance CASCADE;"]);
    assert.equal(db.spec.bootstrap.initdb.postInitSQL, undefined);
    assert.deepEqual(db.spec.postgresql.shared_preload_libraries, ["vchord.so"]);
  });

  it("refuses extensions created in the postgres database (the old postInitSQL), and VectorChord without its preload", () => {
    const objects = preparedPlatform("cloud").objects;
    const old = objects.map((o) => {
      if (o.id !== "cloud-immich-db") return o;
      const doc = JSON.parse(JSON.stringify(o.object)) as { spec: { bootstrap: { initdb: Record<string, unknown> }; postgresql?: unknown } };
      doc.spec.bootstrap.initdb.postInitSQL = doc.spec.bootstrap.initdb.postInitApplicationSQL;
      delete doc.spec.bootstrap.initdb.postInitApplicationSQL;
      return { ...o, object: doc as unknown as PlatformObject["object"] };
    });
    assert.deepEqual(databaseProblems(old), [
      'cloud-immich-db: "CREATE EXTENSION IF NOT EXISTS vchord CASCADE;" runs in the postgres database (postInitSQL), not in the app\'s; use postInitApplicationSQL',
      'cloud-immich-db: "CREATE EXTENSION IF NOT EXISTS earthdistance CASCADE;" runs in the postgres database (postInitSQL), not in the app\'s; use postInitApplicationSQL',
      "cloud-immich-db: VectorChord is preloaded but never created",
    ]);
  });
});

describe("first run: the checks read the charts' defaults right", () => {
  // The checks above encode chart defaults where the values leave a key unset; hold them to the
  // charts' own values.yaml wherever it is pinned.
  const defaultOf = (chart: Parameters<typeof chartDefaults>[0], path: string) => valueAt(chartDefaults(chart) as Record<string, unknown>, path);

  it("matches cert-manager, external-secrets, external-dns, velero, cloudnative-pg and Cilium values.yaml", () => {
    assert.deepEqual([defaultOf("certManager", "prometheus.enabled"), defaultOf("certManager", "prometheus.servicemonitor.enabled"), defaultOf("certManager", "prometheus.podmonitor.enabled")], [true, false, false]);
    assert.deepEqual([defaultOf("externalSecrets", "serviceMonitor.enabled"), defaultOf("externalSecrets", "serviceMonitor.renderMode"), defaultOf("externalSecrets", "installCRDs")], [false, "skipIfMissing", true]);
    assert.equal(defaultOf("externalDns", "serviceMonitor.enabled"), false);
    assert.deepEqual(
      ["metrics.enabled", "metrics.serviceMonitor.enabled", "metrics.serviceMonitor.autodetect", "metrics.nodeAgentPodMonitor.autodetect", "metrics.prometheusRule.autodetect", "credentials.useSecret", "deployNodeAgent"].map((p) => defaultOf("velero", p)),
      [true, false, true, true, true, true, false],
    );
    assert.deepEqual([defaultOf("cloudnativePg", "monitoring.podMonitorEnabled"), defaultOf("cloudnativePg", "crds.create")], [false, true]);
    assert.deepEqual([defaultOf("cilium", "gatewayAPI.enabled"), defaultOf("cilium", "gatewayAPI.gatewayClass.create"), defaultOf("cilium", "hubble.tls.auto.method"), defaultOf("cilium", "hubble.tls.enabled"), defaultOf("cilium", "gatewayAPI.externalTrafficPolicy")], [false, "auto", "helm", true, "Cluster"]);
  });
});

describe("first run: the plan refuses a platform that would not converge, before any resource", () => {
  it("throws from preparePlatform (which every stack calls first) with every problem, naming the app", () => {
    const apps = defaultInventory.apps.map((app) => {
      if (app.name !== "external-secrets") return app;
      // The record as it was: the SDK server's certificate waits for External Secrets itself.
      return { ...app, objects: (ctx: Parameters<NonNullable<typeof app.objects>>[0], self: typeof app) => (app.objects?.(ctx, self) ?? []).map((o) => (o.id === "bitwarden-sdk-certificate" ? { ...o, after: ["cert-manager", "external-secrets"], before: [] } : o)) };
    });
    assert.throws(() => preparedPlatform("dev", undefined, { ...defaultInventory, apps }), (error: Error) => {
      assert.match(error.message, /^invalid configuration for stack "dev" \(1 problem\); nothing was created:\n  - platform dev would not converge: /);
      assert.match(error.message, /dev\/external-secrets needs Secret external-secrets\/bitwarden-tls-certs .* a deadlock/);
      return true;
    });
  });
});
