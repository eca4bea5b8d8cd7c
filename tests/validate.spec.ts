import { strict as assert } from "node:assert";
import { validateKubernetesObject } from "../lib/validate/kubernetes";
import { assertMatchesSchema, crdSchemaPath, loadSchemaFile, SchemaValidationError } from "../lib/validate/schemas";
import { runTool } from "../lib/validate/tools";

describe("artifact validation harness", () => {
  it("validates built-in Kubernetes kinds against the API schema", () => {
    validateKubernetesObject({ apiVersion: "v1", kind: "Service", metadata: { name: "dns" }, spec: { type: "LoadBalancer", ports: [{ port: 53, protocol: "UDP" }] } });
    assert.throws(
      () => validateKubernetesObject({ apiVersion: "v1", kind: "Service", metadata: { name: "dns" }, spec: { ports: [{ port: "fifty-three" }] } }),
      (e: unknown) => e instanceof SchemaValidationError && /Service dns/.test(e.message) && /must be integer/.test(e.message),
    );
    assert.throws(() => validateKubernetesObject({ apiVersion: "apps/v1", kind: "Deploymnet", metadata: { name: "x" } }), /unknown kind Deploymnet/);
  });

  it("validates custom resources against the pinned CRD schema", () => {
    assert.equal(crdSchemaPath("cert-manager.io/v1", "ClusterIssuer"), "crds/cert-manager.io/clusterissuer_v1.json");
    const issuer = {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "letsencrypt-staging" },
      spec: { acme: { server: "https://acme-staging-v02.api.letsencrypt.org/directory", privateKeySecretRef: { name: "le-staging" }, solvers: [{ dns01: { cloudflare: { apiTokenSecretRef: { name: "cloudflare", key: "token" } } } }] } },
    };
    validateKubernetesObject(issuer);
    assert.throws(() => validateKubernetesObject({ ...issuer, spec: { acme: { server: 42 } } }), SchemaValidationError);
  });

  it("reads draft 2020-12 schemas too (Talos machine config)", () => {
    assertMatchesSchema("Talos patch", { machine: { install: { disk: "/dev/sda" } }, cluster: { network: { cni: { name: "none" } }, proxy: { disabled: true } } }, "talos/v1.9/config.schema.json");
    assert.throws(() => assertMatchesSchema("Talos patch", { machine: { instal: {} } }, "talos/v1.9/config.schema.json"), /instal/);
  });

  it("refuses a schema that is not pinned", () => {
    assert.throws(() => loadSchemaFile("crds/example.com/thing_v1.json"), /not pinned in schemas.lock.json/);
  });

  it("wraps the Debian validators and names the package of a missing one", () => {
    assert.equal(runTool("yamllint", ["-d", "relaxed", "-"], "a: 1\n").code, 0);
    assert.notEqual(runTool("shellcheck", ["-"], "#!/bin/sh\necho $1\n").code, 0);
    assert.throws(() => runTool("no-such-validator-here", []), /no-such-validator-here is not installed: apt-get install/);
  });
});
