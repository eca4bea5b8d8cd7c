import { strict as assert } from "node:assert";
import { tunnelIngress, wafRules, zoneSettings } from "../../lib/cloudflare/edge";
import { apps } from "../../lib/catalog";
import { tunnelRoutes } from "../../lib/routes";
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
  it("creates a proxied CNAME to its tunnel for every catalog hostname, and Access for each admin one", async () => {
    const cloud = await examplePlan("cloud");
    const records = cloud.resources.filter((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord");
    assert.deepEqual(records.map((r) => r.inputs.name).sort(), routes.map((r) => r.hostname).sort());
    assert.ok(records.every((r) => r.inputs.proxied === true && String(r.inputs.content).endsWith(".cfargotunnel.com")));
    const access = cloud.resources.filter((r) => r.type === "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication");
    assert.deepEqual(access.map((a) => a.inputs.domain).sort(), routes.filter((r) => r.tier === "admin" && r.clients === "people").map((r) => r.hostname).sort());
  });
  it("leaves Access off only the machine endpoints (Omni SideroLink and Kubernetes proxy, ntfy for the phone app), and marks them so", async () => {
    const cloud = await examplePlan("cloud");
    const machines = routes.filter((r) => r.clients === "machines").map((r) => r.hostname).sort();
    assert.deepEqual(machines, ["ntfy.example.com", "omni-kube.example.com", "omni-siderolink.example.com"]);
    for (const hostname of machines) {
      const record = cloud.resources.find((r) => r.type === "cloudflare:index/dnsRecord:DnsRecord" && r.inputs.name === hostname)!;
      assert.match(String(record.inputs.comment), /;clients=machines$/);
    }
    // Omni's gRPC APIs need HTTP/2 to the origin.
    const siderolink = tunnelIngress(routes.filter((r) => r.app === "omni-siderolink"))[0]!;
    assert.deepEqual(siderolink.originRequest, { noTlsVerify: true, http2Origin: true });
  });
});
