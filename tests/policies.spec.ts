import { strict as assert } from "node:assert";
import { apps } from "../lib/catalog";
import { ingressExceptions } from "../lib/ingress-exceptions";
import { formatAppComment, parseAppComment } from "../lib/markers";
import { adminGroupRestriction, alwaysFree, noPlaintextSecrets, noPublicIngress, type HomelabPolicy, type PolicyResourceView } from "../policies/rules";
import { types } from "../policies/types";
import { examplePlan, res } from "./helpers";

const offline = { secretsVisible: true };
const crossguard = { secretsVisible: false };

function messages(policy: HomelabPolicy, resources: PolicyResourceView[], context = offline): string[] {
  return policy.check(resources, context).map((v) => {
    assert.equal(v.policy, policy.name);
    assert.equal(v.level, "mandatory");
    return v.message;
  });
}

const a1 = (name: string, ocpus: number, memoryInGbs: number, boot = "50") =>
  res(types.ociInstance, { shape: "VM.Standard.A1.Flex", shapeConfig: { ocpus, memoryInGbs }, sourceDetails: { sourceType: "image", bootVolumeSizeInGbs: boot } }, name);

describe("policy always-free", () => {
  it("passes the three A1 instances of the stories (4 OCPU, 24 GB, 189 GB)", () => {
    assert.deepEqual(messages(alwaysFree, [a1("mgmt", 1, 6, "50"), a1("node-1", 2, 12, "64"), a1("node-2", 1, 6, "75"), res(types.ociVcn, {})]), []);
  });
  it("fires on a fifth OCPU", () => {
    const found = messages(alwaysFree, [a1("mgmt", 1, 6), a1("node-1", 3, 12), a1("node-2", 1, 6)]);
    assert.ok(found.some((m) => /5 OCPUs in total; Always Free allows 4/.test(m)), found.join("\n"));
  });
  it("fires on more than 24 GB of A1 memory", () => {
    assert.ok(messages(alwaysFree, [a1("a", 2, 16), a1("b", 2, 12)]).some((m) => /28 GB in total; Always Free allows 24 GB/.test(m)));
  });
  it("fires on a paid shape", () => {
    const paid = res(types.ociInstance, { shape: "VM.Standard.E4.Flex", shapeConfig: { ocpus: 1, memoryInGbs: 8 } }, "paid");
    assert.ok(messages(alwaysFree, [paid]).some((m) => /shape "VM.Standard.E4.Flex" is not Always Free/.test(m)));
  });
  it("fires on more than 200 GB of boot and block volumes", () => {
    const found = messages(alwaysFree, [a1("a", 1, 6, "150"), res(types.ociVolume, { sizeInGbs: "100" })]);
    assert.ok(found.some((m) => /total 250 GB; Always Free allows 200 GB/.test(m)), found.join("\n"));
  });
  it("counts the default 47 GB boot volume when none is set", () => {
    const noBoot = res(types.ociInstance, { shape: "VM.Standard.E2.1.Micro" }, "micro");
    const found = messages(alwaysFree, [a1("a", 1, 6, "160"), noBoot]);
    assert.ok(found.some((m) => /total 207 GB/.test(m)), found.join("\n"));
  });
  it("fires on a third VCN and on a third micro instance", () => {
    const micro = (n: string) => res(types.ociInstance, { shape: "VM.Standard.E2.1.Micro" }, n);
    const found = messages(alwaysFree, [res(types.ociVcn, {}), res(types.ociVcn, {}), res(types.ociVcn, {}), micro("m1"), micro("m2"), micro("m3")]);
    assert.ok(found.some((m) => /3 VCNs/.test(m)));
    assert.ok(found.some((m) => /3 E2.1.Micro instances/.test(m)));
  });
  it("fires on a paid load balancer and passes a 10 Mbps flexible one", () => {
    const paid = res(types.ociLoadBalancer, { shape: "100Mbps" }, "lb-paid");
    const free = res(types.ociLoadBalancer, { shape: "flexible", shapeDetails: { minimumBandwidthInMbps: 10, maximumBandwidthInMbps: 10 } }, "lb-free");
    assert.equal(messages(alwaysFree, [paid]).length, 1);
    assert.deepEqual(messages(alwaysFree, [free]), []);
  });
  it("fires on a bucket without lifecycle or retention, passes one with a lifecycle rule", () => {
    const bucket = res(types.ociBucket, { name: "backups" }, "bucket");
    assert.ok(messages(alwaysFree, [bucket]).some((m) => /bucket "backups" has no lifecycle or retention rule/.test(m)));
    const lifecycle = res(types.ociLifecyclePolicy, { bucket: "backups", rules: [{ isEnabled: true, action: "DELETE" }] });
    assert.deepEqual(messages(alwaysFree, [bucket, lifecycle]), []);
    const disabled = res(types.ociLifecyclePolicy, { bucket: "backups", rules: [{ isEnabled: false }] });
    assert.equal(messages(alwaysFree, [bucket, disabled]).length, 1);
  });
  it("fires on a paid database service", () => {
    assert.equal(messages(alwaysFree, [res(types.ociDbSystem, {})]).length, 1);
    assert.equal(messages(alwaysFree, [res(types.ociAutonomousDatabase, { isFreeTier: false })]).length, 1);
    assert.deepEqual(messages(alwaysFree, [res(types.ociAutonomousDatabase, { isFreeTier: true })]), []);
  });
});

describe("policy no-public-ingress", () => {
  const seclist = (source: string) => res(types.ociSecurityList, { ingressSecurityRules: [{ protocol: "6", source, tcpOptions: { min: 22, max: 22 } }] }, "seclist");
  it("passes ingress from inside the VCN", () => {
    assert.deepEqual(messages(noPublicIngress, [seclist("10.20.0.0/16")]), []);
  });
  it("fires on ingress from 0.0.0.0/0 and ::/0", () => {
    assert.ok(messages(noPublicIngress, [seclist("0.0.0.0/0")])[0]!.includes("admits ingress from 0.0.0.0/0"));
    assert.equal(messages(noPublicIngress, [seclist("::/0")]).length, 1);
    assert.equal(messages(noPublicIngress, [res(types.ociNsgRule, { direction: "INGRESS", source: "0.0.0.0/0" })]).length, 1);
    assert.deepEqual(messages(noPublicIngress, [res(types.ociNsgRule, { direction: "EGRESS", destination: "0.0.0.0/0", source: "0.0.0.0/0" })]), []);
  });
  const service = (type: string, labels: Record<string, string>, ranges?: string[]) =>
    res(types.kubernetesService, { metadata: { name: "dns", labels }, spec: { type, ...(ranges ? { loadBalancerSourceRanges: ranges } : {}) } }, "svc");
  it("allows a LAN-only LoadBalancer on a home cluster restricted to home ranges", () => {
    assert.deepEqual(messages(noPublicIngress, [service("LoadBalancer", { "homelab.dev/exposure": "lan", "homelab.dev/cluster": "prod" }, ["192.0.2.0/24"])]), []);
    assert.deepEqual(messages(noPublicIngress, [service("ClusterIP", {})]), []);
  });
  it("fires on a LoadBalancer or NodePort that is not LAN-only on a home cluster", () => {
    assert.equal(messages(noPublicIngress, [service("LoadBalancer", {})]).length, 1);
    assert.equal(messages(noPublicIngress, [service("NodePort", { "homelab.dev/exposure": "lan", "homelab.dev/cluster": "cloud" }, ["192.0.2.0/24"])]).length, 1);
    assert.equal(messages(noPublicIngress, [service("LoadBalancer", { "homelab.dev/exposure": "lan", "homelab.dev/cluster": "prod" }, ["0.0.0.0/0"])]).length, 1);
    // Half the internet is the internet too.
    assert.equal(messages(noPublicIngress, [service("LoadBalancer", { "homelab.dev/exposure": "lan", "homelab.dev/cluster": "prod" }, ["192.0.2.0/24", "0.0.0.0/1"])]).length, 1);
  });
  it("fires on an A record to an origin and on an unproxied CNAME; passes a proxied tunnel CNAME", () => {
    assert.ok(messages(noPublicIngress, [res(types.cloudflareDnsRecord, { type: "A", name: "nas.example.com", content: "203.0.113.5" })])[0]!.includes("points at an origin"));
    assert.equal(messages(noPublicIngress, [res(types.cloudflareDnsRecord, { type: "AAAA", name: "x.example.com", content: "2001:db8::1" })]).length, 1);
    assert.equal(messages(noPublicIngress, [res(types.cloudflareDnsRecord, { type: "CNAME", name: "x.example.com", content: "abc.cfargotunnel.com", proxied: false })]).length, 1);
    assert.deepEqual(messages(noPublicIngress, [res(types.cloudflareDnsRecord, { type: "CNAME", name: "x.example.com", content: "abc.cfargotunnel.com", proxied: true })]), []);
    assert.deepEqual(messages(noPublicIngress, [res(types.cloudflareDnsRecord, { type: "TXT", name: "_dmarc.example.com", content: "v=DMARC1" })]), []);
  });
  it("requires the tunnel's last rule to be the 404 catch-all", () => {
    const config = (ingresses: unknown[]) => res(types.cloudflareTunnelConfig, { config: { ingresses } }, "tunnel");
    assert.deepEqual(messages(noPublicIngress, [config([{ hostname: "a.example.com", service: "http://a" }, { service: "http_status:404" }])]), []);
    assert.equal(messages(noPublicIngress, [config([{ hostname: "a.example.com", service: "http://a" }, { service: "http://everything" }])]).length, 1);
    assert.equal(messages(noPublicIngress, [config([{ hostname: "a.example.com", service: "http://a" }])]).length, 1);
  });
});

/** The management VM's exposure as the cloud stack plans it, for the exception tests (stack and URNs as CrossGuard sees them). */
function mgmtExposure(stack = "cloud", edit: (r: { nsg: PolicyResourceView; rules: PolicyResourceView[]; vm: PolicyResourceView; records: PolicyResourceView[] }) => void = () => {}) {
  const urn = (type: string, name: string) => `urn:pulumi:${stack}::homelab::${type}::${name}`;
  const at = (type: string, name: string, props: Record<string, unknown>, dependencies: string[] = []): PolicyResourceView => ({ type, name, urn: urn(type, name), props, dependencies });
  const nsg = at(types.ociNsg, "homelab-mgmt-nsg", { displayName: "oci-mgmt-ingress-exceptions", freeformTags: { homelab: "true", role: "mgmt" } });
  const rules = ingressExceptions.map((e) =>
    at(types.ociNsgRule, `homelab-${e.name}`, {
      direction: "INGRESS",
      protocol: "6",
      source: "0.0.0.0/0",
      sourceType: "CIDR_BLOCK",
      tcpOptions: { destinationPortRange: { min: e.port, max: e.port } },
      description: `homelab-exception=${e.name}`,
    }, [nsg.urn]),
  );
  const vm = at(types.ociInstance, "oci-mgmt", { shape: "VM.Standard.A1.Flex", freeformTags: { homelab: "true", role: "mgmt" }, createVnicDetails: { nsgIds: ["ocid1.nsg"] } }, [nsg.urn]);
  const records = [
    at(types.cloudflareDnsRecord, "homelab-dns-omni.example.com", { type: "A", name: "omni.example.com", content: "203.0.113.9", proxied: false, comment: formatAppComment("omni", "admin", ["admin"], "people", "omni-api") }, [vm.urn]),
    at(types.cloudflareDnsRecord, "homelab-dns-omni-siderolink.example.com", { type: "A", name: "omni-siderolink.example.com", content: "203.0.113.9", proxied: false, comment: formatAppComment("omni-siderolink", "admin", ["admin"], "machines", "omni-siderolink") }, [vm.urn]),
  ];
  const all = { nsg, rules, vm, records };
  edit(all);
  return [all.nsg, ...all.rules, all.vm, ...all.records];
}
const ruleNamed = (rules: PolicyResourceView[], name: string) => rules.find((r) => r.name === `homelab-${name}`)!;

describe("policy no-public-ingress: the named ingress exceptions, and one step outside each", () => {
  const withApps = { secretsVisible: true, apps };
  const found = (resources: PolicyResourceView[]) => noPublicIngress.check(resources, withApps).map((v) => v.message);
  it("passes exactly the exceptions: TCP 443 and TCP 8090 from anywhere on the mgmt VM's NSG, their two DNS-only records", () => {
    assert.deepEqual(found(mgmtExposure()), []);
  });
  it("fails a port range one wider than the exception (443–444), and a neighbouring port (8091)", () => {
    const wider = found(mgmtExposure("cloud", ({ rules }) => { ruleNamed(rules, "omni-api").props.tcpOptions = { destinationPortRange: { min: 443, max: 444 } }; }));
    assert.deepEqual(wider, ['network security group rule admits ingress from 0.0.0.0/0 wider than allowed: exception "omni-api" opens port 443 only, the rule opens 443–444']);
    const neighbour = found(mgmtExposure("cloud", ({ rules }) => { ruleNamed(rules, "omni-siderolink").props.tcpOptions = { destinationPortRange: { min: 8091, max: 8091 } }; }));
    assert.equal(neighbour.length, 1);
    assert.match(neighbour[0]!, /opens port 8090 only, the rule opens 8091/);
  });
  it("fails the exception with every port (no tcpOptions) and with protocol all or UDP", () => {
    assert.match(found(mgmtExposure("cloud", ({ rules }) => { delete ruleNamed(rules, "omni-api").props.tcpOptions; }))[0]!, /the rule opens every port/);
    assert.match(found(mgmtExposure("cloud", ({ rules }) => { ruleNamed(rules, "omni-api").props.protocol = "all"; }))[0]!, /allows protocol 6 \(TCP\) only, the rule says "all"/);
    assert.match(found(mgmtExposure("cloud", ({ rules }) => { ruleNamed(rules, "omni-siderolink").props.protocol = "17"; }))[0]!, /the rule says "17"/);
  });
  it("fails a rule that names no exception (WireGuard's UDP 50180) or an unknown one", () => {
    const udp = found(mgmtExposure("cloud", ({ rules, nsg }) => {
      rules.push({ ...ruleNamed(rules, "omni-api"), name: "wireguard", urn: "urn:pulumi:cloud::homelab::x::wireguard", props: { direction: "INGRESS", protocol: "17", source: "0.0.0.0/0", udpOptions: { destinationPortRange: { min: 50180, max: 50180 } } }, dependencies: [nsg.urn] });
    }));
    assert.deepEqual(udp, ['network security group rule admits ingress from 0.0.0.0/0 and names no ingress exception (description "homelab-exception=<name>" of lib/ingress-exceptions.ts); the homelab opens no other port']);
    assert.equal(found(mgmtExposure("cloud", ({ rules }) => { ruleNamed(rules, "omni-api").props.description = "homelab-exception=ssh"; })).length, 1);
  });
  it("fails the exception on another NSG than the mgmt VM's, and the mgmt NSG on a Talos node", () => {
    const elsewhere = found(mgmtExposure("cloud", ({ nsg }) => { nsg.props.freeformTags = { homelab: "true", role: "talos" }; }));
    assert.ok(elsewhere.some((m) => /belongs on the network security group of the "mgmt" VM/.test(m)), elsewhere.join("\n"));
    const node = found(mgmtExposure("cloud", ({ vm }) => { vm.props.freeformTags = { homelab: "true", role: "talos" }; }));
    assert.ok(node.some((m) => /instance with role "talos" carries the network security group of another role/.test(m)), node.join("\n"));
  });
  it("fails the exception in a home stack (dev), and on the subnet's security list", () => {
    const dev = found(mgmtExposure("dev"));
    assert.ok(dev.some((m) => /exception "omni-api" is allowed only in the cloud stack, not in dev/.test(m)), dev.join("\n"));
    const seclist = res(types.ociSecurityList, { ingressSecurityRules: [{ protocol: "6", source: "0.0.0.0/0", tcpOptions: { min: 443, max: 443 }, description: "homelab-exception=omni-api" }] });
    assert.equal(found([...mgmtExposure(), seclist]).length, 1);
  });
  it("counts every public source as the internet, not only 0.0.0.0/0: half the internet, a public range, IPv6's global space", () => {
    // Two rules 0.0.0.0/1 + 128.0.0.0/1 open what 0.0.0.0/0 opens; a public /8 opens to strangers.
    const extra = (source: string) => found(mgmtExposure("cloud", ({ rules, nsg }) => {
      rules.push({ ...ruleNamed(rules, "omni-api"), name: `extra-${source}`, urn: `urn:pulumi:cloud::homelab::x::extra-${source}`, props: { direction: "INGRESS", protocol: "6", source, tcpOptions: { destinationPortRange: { min: 22, max: 22 } } }, dependencies: [nsg.urn] });
    }));
    for (const source of ["0.0.0.0/1", "128.0.0.0/1", "1.0.0.0/8", "8.8.8.0/24", "2000::/3", "::/1"]) {
      assert.deepEqual(extra(source), [`network security group rule admits ingress from ${source} and names no ingress exception (description "homelab-exception=<name>" of lib/ingress-exceptions.ts); the homelab opens no other port`], source);
    }
    // Private sources (the VCN, another private range) are not the internet.
    for (const source of ["10.20.0.0/16", "192.168.1.0/24", "192.0.2.0/24", "fd00::/8"]) assert.deepEqual(extra(source), [], source);
    // The exception itself from a narrower public range is not the exception as written.
    assert.match(found(mgmtExposure("cloud", ({ rules }) => { ruleNamed(rules, "omni-api").props.source = "0.0.0.0/1"; }))[0]!, /exception "omni-api" does not cover source 0\.0\.0\.0\/1/);
    const seclist = (source: string) => found([res(types.ociSecurityList, { ingressSecurityRules: [{ protocol: "6", source, tcpOptions: { min: 443, max: 443 } }] })]);
    assert.equal(seclist("128.0.0.0/1").length, 1);
    assert.deepEqual(seclist("10.20.0.0/16"), []);
  });
  it("fails an A record one step outside: another app (auth), proxied, the wrong name, not pointing at the mgmt VM", () => {
    const auth = found(mgmtExposure("cloud", ({ records, vm }) => {
      records.push({ ...records[0]!, name: "auth", urn: "urn:pulumi:cloud::homelab::x::auth", props: { type: "A", name: "auth.example.com", proxied: false, comment: formatAppComment("authentik", "family", ["family-validated"], "people", "omni-api") }, dependencies: [vm.urn] });
    }));
    assert.ok(auth.some((m) => /belongs to catalog app "omni", the record says app "authentik"/.test(m)), auth.join("\n"));
    assert.ok(auth.some((m) => /allows the name omni.<domain> only, the record is "auth.example.com"/.test(m)), auth.join("\n"));
    assert.match(found(mgmtExposure("cloud", ({ records }) => { records[0]!.props.proxied = true; }))[0]!, /is a DNS-only record \(proxied false\)/);
    assert.match(found(mgmtExposure("cloud", ({ records }) => { records[0]!.dependencies = []; }))[0]!, /must point at the "mgmt" VM/);
    assert.match(found(mgmtExposure("cloud", ({ records }) => { records[1]!.props.type = "AAAA"; }))[0]!, /does not cover AAAA records/);
    // An A record without an exception is the old rule: it points at an origin.
    assert.match(found([res(types.cloudflareDnsRecord, { type: "A", name: "nas.example.com", content: "203.0.113.5", proxied: false })])[0]!, /points at an origin/);
  });
  it("holds in the planned cloud stack: the mgmt VM's NSG carries the two rules and nothing else opens", async () => {
    const cloud = await examplePlan("cloud");
    const rules = cloud.resources.filter((r) => r.type === types.ociNsgRule);
    assert.deepEqual(rules.map((r) => [r.inputs.description, r.inputs.source, r.inputs.tcpOptions]).sort(), [
      ["homelab-exception=omni-api", "0.0.0.0/0", { destinationPortRange: { min: 443, max: 443 } }],
      ["homelab-exception=omni-siderolink", "0.0.0.0/0", { destinationPortRange: { min: 8090, max: 8090 } }],
    ]);
    assert.deepEqual(cloud.violations.filter((v) => v.policy === "no-public-ingress"), []);
    const talos = cloud.resources.filter((r) => r.type === types.ociInstance && (r.inputs.freeformTags as Record<string, string>).role === "talos");
    assert.ok(talos.length > 0 && talos.every((t) => (t.inputs.createVnicDetails as Record<string, unknown>).nsgIds === undefined), "a Talos node has an NSG");
  });
});

describe("policy admin-group-restriction", () => {
  const record = (hostname: string, comment?: string) =>
    res(types.cloudflareDnsRecord, { type: "CNAME", name: hostname, content: "t.cfargotunnel.com", proxied: true, ...(comment ? { comment } : {}) }, `dns-${hostname}`);
  const access = (domain: string) => res(types.cloudflareAccessApplication, { domain, policies: [{ id: "p", precedence: 1 }] }, `access-${domain}`);

  it("round-trips the catalog identity in the DNS comment", () => {
    assert.deepEqual(parseAppComment(formatAppComment("grafana", "admin", ["admin"])), { app: "grafana", tier: "admin", groups: ["admin"], machines: false });
    assert.deepEqual(parseAppComment(formatAppComment("glance", "public", [])), { app: "glance", tier: "public", groups: [], machines: false });
    assert.equal(parseAppComment(formatAppComment("omni-siderolink", "admin", ["admin"], "machines"))?.machines, true);
  });
  it("passes an admin app bound to admin behind Access, a family app and a public app", () => {
    const resources = [
      record("grafana.example.com", formatAppComment("grafana", "admin", ["admin"])),
      access("grafana.example.com"),
      record("cloud.example.com", formatAppComment("nextcloud", "family", ["family-validated"])),
      record("home.example.com", formatAppComment("glance", "public", [])),
    ];
    assert.deepEqual(messages(adminGroupRestriction, resources), []);
  });
  it("fires when a family group is bound to an admin app", () => {
    const found = messages(adminGroupRestriction, [record("argocd.example.com", formatAppComment("argocd", "admin", ["admin", "family-validated"])), access("argocd.example.com")]);
    assert.ok(found.some((m) => /admin app but also bound to "family-validated"/.test(m)), found.join("\n"));
  });
  it("fires when an admin app has no Cloudflare Access in front", () => {
    assert.ok(messages(adminGroupRestriction, [record("omni.example.com", formatAppComment("omni", "admin", ["admin"]))])[0]!.includes("no Cloudflare Access"));
  });
  it("lets an admin app's named ingress exception skip Access, never a family app's", () => {
    const direct = (app: string, tier: "admin" | "family", groups: string[], exception: string) =>
      res(types.cloudflareDnsRecord, { type: "A", name: `${app}.example.com`, content: "203.0.113.9", proxied: false, comment: formatAppComment(app, tier, groups, "people", exception) }, `dns-${app}`);
    assert.deepEqual(messages(adminGroupRestriction, [direct("omni", "admin", ["admin"], "omni-api")]), []);
    assert.ok(messages(adminGroupRestriction, [direct("omni", "family", ["family-validated"], "omni-api")]).some((m) => /only admin apps with their own sign-in may skip Access/.test(m)));
    // The same admin app on a tunnel CNAME still needs Access.
    assert.ok(messages(adminGroupRestriction, [record("omni.example.com", formatAppComment("omni", "admin", ["admin"]))])[0]!.includes("no Cloudflare Access"));
  });
  it("lets only admin machine endpoints skip Access", () => {
    assert.deepEqual(messages(adminGroupRestriction, [record("omni-siderolink.example.com", formatAppComment("omni-siderolink", "admin", ["admin"], "machines"))]), []);
    const found = messages(adminGroupRestriction, [record("photos.example.com", formatAppComment("immich", "family", ["family-validated"], "machines"))]);
    assert.ok(found.some((m) => /claims clients=machines but is tier "family"/.test(m)), found.join("\n"));
  });
  it("fires when anything is bound to everyone, or a family app to admin only", () => {
    assert.ok(messages(adminGroupRestriction, [record("x.example.com", formatAppComment("x", "family", ["everyone"]))]).some((m) => /bound to "everyone"/.test(m)));
    assert.ok(messages(adminGroupRestriction, [record("y.example.com", formatAppComment("y", "family", ["admin"]))]).some((m) => /family app bound to "admin"/.test(m)));
  });
  it("fires on a hostname without tier and on a tunnel route outside the catalog", () => {
    assert.ok(messages(adminGroupRestriction, [record("hand-made.example.com")])[0]!.includes("carries no app identity"));
    const tunnel = res(types.cloudflareTunnelConfig, { config: { ingresses: [{ hostname: "secret-admin.example.com", service: "http://x" }, { service: "http_status:404" }] } });
    assert.ok(messages(adminGroupRestriction, [tunnel])[0]!.includes('tunnel route "secret-admin.example.com" has no catalog DNS record'));
  });
});

describe("policy no-plaintext-secrets", () => {
  it("passes secrets that arrive masked, and ordinary values", () => {
    const resources = [
      res(types.kubernetesSecret, { stringData: { password: "[secret]" } }),
      res("cloudflare:index/zeroTrustTunnelCloudflared:ZeroTrustTunnelCloudflared", { name: "homelab", tunnelSecret: "[secret]" }),
      res("kubernetes:helm.sh/v3:Release", { values: { existingSecret: "argocd-secret", admin: { passwordSecretRef: "x" } } }),
      res(types.stack, { tunnelToken: "[secret]", domain: "example.com" }),
    ];
    assert.deepEqual(messages(noPlaintextSecrets, resources), []);
  });
  it("fires on a plain value under a secret-like key, in inputs and in stack outputs", () => {
    assert.ok(messages(noPlaintextSecrets, [res("x:y:Z", { auth: { apiToken: "abc" } })])[0]!.includes("auth.apiToken holds a plain value"));
    assert.equal(messages(noPlaintextSecrets, [res(types.stack, { prodTunnelToken: "eyJhIjoi" })]).length, 1);
  });
  it("fires on a plain env entry that carries a password", () => {
    const deployment = res("kubernetes:apps/v1:Deployment", { spec: { template: { spec: { containers: [{ env: [{ name: "DB_PASSWORD", value: "hunter2" }] }] } } } });
    assert.ok(messages(noPlaintextSecrets, [deployment]).some((m) => /sets DB_PASSWORD in plain text/.test(m)));
  });
  it("fires on credentials by their look and on inline assignments in documents", () => {
    const pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----";
    assert.ok(messages(noPlaintextSecrets, [res("x:y:Z", { script: pem })])[0]!.includes("a private key"));
    assert.ok(messages(noPlaintextSecrets, [res("x:y:Z", { document: "services:\n  a:\n    environment:\n      POSTGRES_PASSWORD: hunter2\n" })])[0]!.includes("assigns POSTGRES_PASSWORD inline"));
    assert.deepEqual(messages(noPlaintextSecrets, [res("x:y:Z", { document: "POSTGRES_PASSWORD=${POSTGRES_PASSWORD}\nAUTHENTIK_SECRET_KEY: !Env AK\n" })]), []);
  });
  it("under CrossGuard (secrets decrypted), leaves declared secret sinks alone but still scans the rest", () => {
    const provider = res("pulumi:providers:oci", { privateKey: "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----" });
    const ssh = res(types.commandRemote, { connection: { host: "192.0.2.10", privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx" } });
    assert.deepEqual(messages(noPlaintextSecrets, [provider, ssh], crossguard), []);
    const leaked = res("x:y:Z", { description: "token ghp_abcdefghijklmnopqrstuvwxyz0123456789" });
    assert.equal(messages(noPlaintextSecrets, [leaked], crossguard).length, 1);
  });
});
