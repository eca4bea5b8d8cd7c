import { strict as assert } from "node:assert";
import * as cloudflare from "@pulumi/cloudflare";
import * as oci from "@pulumi/oci";
import { planStacks } from "../tooling/plan/plan";
import program from "../index";
import { editObject, exampleConfig } from "./helpers";

/** The real cloud program plus one hand-made resource, as a careless change would add it. */
function withExtra(extra: () => void) {
  return async () => {
    const outputs = await program();
    extra();
    return outputs;
  };
}

async function cloudViolations(run: () => Promise<Record<string, unknown>>, config = exampleConfig("cloud")) {
  const result = await planStacks({ stacks: ["cloud"], program: run, configs: { cloud: config } });
  assert.equal(result.ok, false, "the plan should fail");
  return result.stacks[0]!.violations.map((v) => `${v.policy}: ${v.message}`);
}

describe("offline plan fails the cloud stack on each Always Free or exposure mistake", () => {
  it("a fifth OCPU → always-free", async () => {
    const config = editObject<{ instances: { ocpus: number }[] }>(exampleConfig("cloud"), "homelab:oci", (o) => (o.instances[0]!.ocpus = 2));
    const found = await cloudViolations(program, config);
    assert.ok(found.some((v) => /^always-free: A1 instances ask for 5 OCPUs/.test(v)), found.join("\n"));
  });
  it("a paid shape → always-free", async () => {
    const found = await cloudViolations(
      withExtra(() => {
        new oci.core.Instance("paid", { compartmentId: "c", availabilityDomain: "ad", shape: "VM.Standard.E5.Flex", shapeConfig: { ocpus: 1, memoryInGbs: 12 } });
      }),
    );
    assert.ok(found.some((v) => /^always-free: instance shape "VM.Standard.E5.Flex" is not Always Free/.test(v)), found.join("\n"));
  });
  it("an internet ingress rule → no-public-ingress", async () => {
    const found = await cloudViolations(
      withExtra(() => {
        new oci.core.SecurityList("open-ssh", { compartmentId: "c", vcnId: "v", ingressSecurityRules: [{ protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 22, max: 22 } }] });
      }),
    );
    assert.ok(found.some((v) => /^no-public-ingress: security list admits ingress from 0.0.0.0\/0/.test(v)), found.join("\n"));
  });
  it("an A record to an origin → no-public-ingress", async () => {
    const found = await cloudViolations(
      withExtra(() => {
        new cloudflare.DnsRecord("origin", { zoneId: "z", name: "nas.example.com", type: "A", content: "203.0.113.7", ttl: 1, proxied: true });
      }),
    );
    assert.ok(found.some((v) => /^no-public-ingress: DNS A record "nas.example.com" points at an origin/.test(v)), found.join("\n"));
  });
});
