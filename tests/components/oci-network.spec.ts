import { strict as assert } from "node:assert";
import { intraVcnIngressRules, intraVcnPorts } from "../../lib/oci/network";
import { noPublicIngress } from "../../policies/rules";
import { types } from "../../policies/types";
import { examplePlan } from "../helpers";

describe("component OciNetwork", () => {
  it("admits only the VCN itself, one rule per cluster port", () => {
    const rules = intraVcnIngressRules("10.20.0.0/16");
    assert.equal(rules.length, intraVcnPorts.length + 1);
    assert.ok(rules.every((r) => r.source === "10.20.0.0/16"));
    const kubeApi = rules.find((r) => r.description === "Kubernetes API")!;
    assert.deepEqual(kubeApi.tcpOptions, { min: 6443, max: 6443 });
    const wireguard = rules.find((r) => r.description === "Cilium WireGuard")!;
    assert.equal(wireguard.protocol, "17");
  });
  it("opens no port to the internet, and SSH is not among the ports", async () => {
    assert.ok(!intraVcnPorts.some((p) => p.port === 22));
    const cloud = await examplePlan("cloud");
    const seclist = cloud.resources.find((r) => r.type === types.ociSecurityList)!;
    assert.deepEqual(noPublicIngress.check([{ type: seclist.type, name: seclist.name, urn: seclist.urn, props: seclist.inputs }], { secretsVisible: true }), []);
    const ingress = seclist.inputs.ingressSecurityRules as { source: string }[];
    assert.ok(ingress.every((r) => r.source === "10.20.0.0/16"));
    assert.equal(seclist.parent, "urn:pulumi:cloud::homelab::homelab:oci:Network::homelab");
  });
});
