import { strict as assert } from "node:assert";
import { formatAppComment, parseAppComment } from "../lib/markers";
import { adminGroupRestriction, alwaysFree, noPlaintextSecrets, noPublicIngress, type HomelabPolicy, type PolicyResourceView } from "../policies/rules";
import { types } from "../policies/types";
import { res } from "./helpers";

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
