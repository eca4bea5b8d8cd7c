import { strict as assert } from "node:assert";
import { tunnelIngress, wafRules, zoneSettings } from "../../lib/cloudflare/edge";
import { apps } from "../../lib/catalog";
import { directRoutes, tunnelRoutes } from "../../lib/routes";
import { examplePlan } from "../helpers";

describe("component CloudflareEdge", () => {
  const routes = tunnelRoutes("example.com", apps);
  it("routes each hostname of a tunnel once and ends with the 404 catch-all", () => {
    const prod = tunnelIngress(routes.filter((r) => r.location === "prod"));
    assert.deepEqual(prod[prod.length - 1], { service: "http_status:404" });
    assert.ok(prod.slice(0, -1).every((i) => i.hostname?.endsWith(".example.com")));
    assert.equal(new Set(prod.map((i) => i.hostname)).size, prod.length);
  });
  it("keeps to the free plan: at most five WAF custom rules, HTTPS only, TLS ≥ 1.2", () => {
    assert.ok(wafRules(routes).length <= 5);
    assert.equal(zoneSettings.always_use_https, "on");
    assert.equal(zoneSettings.min_tls_version, "1.2");
  });
  it("creates a proxied CNAME to its tunnel for every tunnel hostname, a DNS-only A record for each direct one, and Access for each admin tunnel hostname", async () => {
    const cloud = await examplePlan("cloud");
    const records = cloud.resources.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord");
    const cnames = records.filter((r) => r.inputs.type === "CNAME");
    assert.deepEqual(cnames.map((r) => r.inputs.name).sort(), routes.map((r) => r.hostname).sort());
    assert.ok(cnames.every((r) => r.inputs.proxied === true && String(r.inputs.content).endsWith(".cfargotunnel.com")));
    // Omni's gRPC names: unproxied A records to the management VM, each naming its exception.
    const direct = records.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && r.inputs.type === "A");
    assert.deepEqual(direct.map((r) => r.inputs.name).sort(), directRoutes("example.com", apps).map((r) => r.hostname).sort());
    assert.deepEqual(direct.map((r) => r.inputs.name).sort(), ["omni-siderolink.example.com", "omni.example.com"]);
    for (const record of direct) {
      assert.equal(record.inputs.proxied, false);
      assert.equal(record.parent, "urn:pulumi:cloud::homelab::homelab:mgmt:ManagementVm::homelab");
      assert.match(String(record.inputs.comment), /;exception=omni-(api|siderolink)$/);
    }
    assert.equal(records.length, cnames.length + direct.length);
    const access = cloud.resources.filter((r) => r.type === "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication");
    assert.deepEqual(access.map((a) => a.inputs.domain).sort(), routes.filter((r) => r.tier === "admin" && r.clients === "people").map((r) => r.hostname).sort());
  });
  it("leaves Access off only the machine endpoints of the tunnel (Omni's Kubernetes proxy, ntfy for the phone app), and marks them so", async () => {
    const cloud = await examplePlan("cloud");
    const machines = routes.filter((r) => r.clients === "machines").map((r) => r.hostname).sort();
    assert.deepEqual(machines, ["ntfy.example.com", "omni-kube.example.com"]);
    for (const hostname of machines) {
      const record = cloud.resources.find((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && r.inputs.name === hostname)!;
      assert.match(String(record.inputs.comment), /;clients=machines$/);
    }
    // No gRPC through the tunnel any more: Omni's loopback Kubernetes proxy only skips the name check.
    const kube = tunnelIngress(routes.filter((r) => r.app === "omni-kube"))[0]!;
    assert.deepEqual(kube, { hostname: "omni-kube.example.com", service: "https://127.0.0.1:8100", originRequest: { noTlsVerify: true } });
    assert.ok(!routes.some((r) => r.app === "omni" || r.app === "omni-siderolink"), "Omni's gRPC APIs are on the tunnel");
  });
});
