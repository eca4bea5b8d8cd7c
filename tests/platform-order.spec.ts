/**
 * The first `pulumi up` converges: CRDs exist before any object of their kind, and nothing an
 * Application's pods need waits for that Application. Each check is also shown failing on the
 * arrangement that deadlocked before (issue 12).
 */
import { strict as assert } from "node:assert";
import type { ClusterName } from "../lib/catalog";
import type { PlannedApplication } from "../lib/platform/argocd-applications";
import { bootstrapCrdBundles, crdOrderProblems } from "../lib/platform/crds";
import { podInputProblems, podInputs } from "../lib/platform/pod-inputs";
import type { PlatformObject } from "../lib/platform/objects";
import { examplePlan, preparedPlatform } from "./helpers";

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
