import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { parse } from "yaml";
import { ConfigError } from "../../lib/config/errors";
import {
  authentikHttpPort,
  certificateDomains,
  cloudInit,
  composeProject,
  envFile,
  hostFirewall,
  managementMetadata,
  legoBinary,
  memoryLimitsMiB,
  omniArgs,
  omniPorts,
  projectFiles,
  secretFiles,
  siderolinkApiUrl,
  serviceUsers,
  type ManagementDocumentsInput,
  type ManagementSecrets,
} from "../../lib/management-vm/documents";
import { siderolinkKernelArgs } from "../../lib/management-vm/documents";
import { tarGzip } from "../../lib/tar";
import { apps } from "../../lib/catalog";
import { ingressExceptions } from "../../lib/ingress-exceptions";
import { directRoutes, tunnelRoutes } from "../../lib/routes";
import { assertMatchesSchema } from "../../lib/validate/schemas";
import { assertToolPasses, runTool } from "../../lib/validate/tools";
import { examplePlan } from "../helpers";
import { mountAccessProblems, type Identity, type OwnerOverrides } from "../support/access";
import { mgmtBackupSchedule } from "../../lib/backup/items";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fakeRoot } from "../support/fake-root";

const input: ManagementDocumentsInput = {
  hostnames: { omni: "omni.example.com", omniSiderolink: "omni-siderolink.example.com", omniKube: "omni-kube.example.com", authentik: "auth.example.com" },
  adminEmails: ["admin@example.com", "second@example.com"],
  omniAccountId: "3f7e1c2a-9b1d-4c55-8a0e-1b2c3d4e5f60",
  resticRepository: "s3:https://ns.compat.objectstorage.eu-paris-1.oraclecloud.com/homelab-backups/mgmt",
  region: "eu-paris-1",
  backupClasses: mgmtBackupSchedule(apps),
  ntfyUrl: "https://ntfy.example.com/homelab-alerts",
};
// Recognisable values, so that a test can prove where each one lands and where it never does.
const secrets: ManagementSecrets = {
  authentikSecretKey: "sentinel-authentik-secret-key",
  authentikBootstrapPassword: "sentinel-bootstrap-password",
  authentikBootstrapToken: "sentinel-bootstrap-token",
  postgresPassword: "sentinel-postgres-password",
  tunnelToken: "sentinel-tunnel-token",
  backupAccessKeyId: "sentinel-access-key-id",
  backupSecretKey: "sentinel-backup-secret-key",
  resticPassword: "sentinel-restic-password",
  acmeDnsApiToken: "sentinel-acme-dns-token",
};
const sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyForDocumentationOnly00000000000 admin@example.com";
const filesDir = join(__dirname, "../../lib/management-vm/files");

function untar(base64: string): string {
  const dir = mkdtempSync(join(tmpdir(), "homelab-bundle-"));
  const result = spawnSync("tar", ["-xzf", "-", "-C", dir], { input: Buffer.from(base64, "base64") });
  assert.equal(result.status, 0, String(result.stderr));
  return dir;
}

describe("component ManagementVm: documents", () => {
  const project = composeProject(input);

  it("renders a Compose file that the compose-spec schema accepts", () => {
    assertMatchesSchema("mgmt compose.yaml", parse(readFileSync(join(untar(managementMetadata(input, secrets, sshKey).project), "compose.yaml"), "utf8")), "compose/compose-spec.json");
  });

  it("runs Omni, its certificate, Authentik (server, worker, PostgreSQL; no Redis since 2025.10), cloudflared and the backups; public ports are exactly the exceptions'", () => {
    assert.deepEqual(Object.keys(project.services).sort(), ["acme", "authentik-server", "authentik-worker", "backup", "cloudflared", "omni", "pg-dump", "postgresql"]);
    const published = Object.entries(project.services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, port })));
    const open = published.filter((p) => !p.port.startsWith("127.0.0.1:"));
    assert.deepEqual(open.map((p) => `${p.name} ${p.port}`).sort(), ingressExceptions.map((e) => `omni 0.0.0.0:${e.port}:${e.port}`).sort());
  });

  it("keeps the internet-facing services out of the host's network namespace: only cloudflared shares it, without privileges, and it cannot read the metadata service", () => {
    // Omni answers the internet on 443 and 8090 and holds NET_ADMIN for its SideroLink TUN: on
    // the host network that capability would rewrite the host's firewall and reach the instance
    // metadata (the secrets bundle), which DOCKER-USER guards only for bridged containers.
    const hostNetwork = Object.entries(project.services).filter(([, s]) => s.network_mode === "host");
    assert.deepEqual(hostNetwork.map(([name]) => name), ["cloudflared"]);
    for (const [name, service] of hostNetwork) {
      assert.equal(service.cap_add, undefined, `${name} adds capabilities on the host network`);
      assert.match(service.user ?? "", /^[1-9]\d*:[1-9]\d*$/, `${name} runs as root on the host network`);
    }
    // homelab-sync blocks the metadata service for exactly those users (OUTPUT, by owner).
    const uids = projectFiles(input).find((f) => f.path === "host-network-uids")!.content;
    assert.equal(uids, hostNetwork.map(([, s]) => `${s.user!.split(":")[0]}\n`).join(""));
  });

  it("binds Omni's listeners inside its container and publishes exactly the exceptions' ports; the rest stays on loopback or the SideroLink address", () => {
    const args = omniArgs(input);
    const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
    assert.equal(flag("bind-addr"), `0.0.0.0:${ingressExceptions.find((e) => e.name === "omni-api")!.port}`);
    assert.equal(flag("machine-api-bind-addr"), `0.0.0.0:${ingressExceptions.find((e) => e.name === "omni-siderolink")!.port}`);
    // The Kubernetes proxy listens in the container and is published on the host's loopback only.
    assert.equal(flag("k8s-proxy-bind-addr"), "0.0.0.0:8100");
    assert.ok(project.services.omni!.ports!.includes("127.0.0.1:8100:8100"));
    assert.equal(flag("metrics-bind-addr"), "127.0.0.1:2122");
    // The host firewall file opens the same ports, by name.
    assert.equal(hostFirewall(), "tcp 443 omni-api\ntcp 8090 omni-siderolink\n");
    assert.ok(projectFiles(input).some((f) => f.path === "host-firewall" && f.content === hostFirewall()));
  });

  it("asks Let's Encrypt for both of Omni's direct names, waits for the certificate before starting Omni", () => {
    assert.deepEqual(certificateDomains(input.hostnames), ["omni.example.com", "omni-siderolink.example.com"]);
    const acme = project.services.acme!;
    assert.equal(acme.environment!.ACME_DOMAINS, "omni.example.com omni-siderolink.example.com");
    assert.deepEqual(acme.env_file, ["secrets/acme.env"]);
    assert.ok(acme.volumes!.includes("/var/lib/homelab/omni/tls:/tls"));
    assert.deepEqual(project.services.omni!.depends_on, { acme: { condition: "service_healthy" } });
    assert.ok(project.services.omni!.volumes!.includes("/var/lib/homelab/omni/tls:/tls:ro"));
  });

  it("fits the 6 GB VM: every service has a memory limit and together they leave 1 GB to the OS", () => {
    const limits = Object.entries(project.services).map(([name, s]) => {
      assert.match(s.mem_limit, /^\d+m$/, name);
      return Number.parseInt(s.mem_limit, 10);
    });
    assert.deepEqual(Object.keys(memoryLimitsMiB).sort(), Object.keys(project.services).sort());
    assert.ok(limits.reduce((a, b) => a + b, 0) <= 5 * 1024, `services reserve ${limits.reduce((a, b) => a + b, 0)} MiB`);
  });

  it("starts Omni with the gRPC SideroLink tunnel, Authentik SAML and the catalog's hostnames", () => {
    const args = project.services.omni!.command!;
    assert.ok(args.includes("--siderolink-use-grpc-tunnel=true"));
    assert.ok(args.includes("--auth-saml-enabled=true"));
    assert.ok(args.includes("--auth-saml-url=https://auth.example.com/application/saml/omni/metadata/"));
    assert.ok(args.includes("--advertised-api-url=https://omni.example.com/"));
    assert.ok(args.includes("--siderolink-api-advertised-url=https://omni-siderolink.example.com:8090/"));
    assert.ok(args.includes("--advertised-kubernetes-proxy-url=https://omni-kube.example.com/"));
    assert.ok(args.includes("--initial-users=admin@example.com,second@example.com"));
    assert.ok(args.includes(`--account-id=${input.omniAccountId}`));
    // Omni's state is a host directory that the backup service reads.
    assert.ok(project.services.omni!.volumes!.includes("/var/lib/homelab/omni/etcd:/_out/etcd"));
    assert.ok(project.services.backup!.volumes!.includes("/var/lib/homelab/omni:/data/omni:ro"));
  });

  it("sends every tunnel origin of the mgmt location to a loopback port that its service listens on", () => {
    const loopbackPorts = (service: string) => (project.services[service]!.ports ?? []).filter((p) => p.startsWith("127.0.0.1:")).map((p) => Number(p.split(":")[1]));
    assert.deepEqual(loopbackPorts("omni"), [omniPorts.k8sProxy]);
    const listening: Record<string, number[]> = {
      omni: loopbackPorts("omni"),
      "authentik-server": project.services["authentik-server"]!.ports!.map((p) => Number(p.split(":")[1])),
      host: [22],
    };
    assert.deepEqual(listening["authentik-server"], [authentikHttpPort]);
    const mgmtRoutes = tunnelRoutes("example.com", apps).filter((r) => r.location === "mgmt");
    assert.ok(mgmtRoutes.length >= 3);
    for (const route of mgmtRoutes) {
      const origin = new URL(route.origin);
      assert.equal(origin.hostname, "127.0.0.1", `${route.hostname} → ${route.origin}`);
      const app = apps.find((a) => a.name === route.app)!;
      const service = app.placement.kind === "mgmt-vm" ? app.placement.composeService : "?";
      assert.ok(service === "host" || service in project.services, `${route.app}: no service "${service}"`);
      assert.ok(listening[service]?.includes(Number(origin.port)), `${route.hostname} → ${route.origin}: ${service} does not listen there`);
    }
    // And the direct routes are exactly the exceptions, on Omni's public listeners.
    assert.deepEqual(directRoutes("example.com", apps).map((r) => `${r.hostname}:${r.port}`), ["omni-siderolink.example.com:8090", "omni.example.com:443"]);
    assert.equal(siderolinkApiUrl(input.hostnames), "https://omni-siderolink.example.com:8090/");
  });

  it("gives each service only its own env file and keeps every secret out of the project bundle", () => {
    assert.deepEqual(project.services.cloudflared!.env_file, ["secrets/cloudflared.env"]);
    assert.deepEqual(project.services.omni!.env_file, undefined);
    const metadata = managementMetadata(input, secrets, sshKey);
    const projectText = spawnSync("sh", ["-c", `cd ${untar(metadata.project)} && cat $(find . -type f | sort)`], { encoding: "utf8" }).stdout;
    const userData = gunzipSync(Buffer.from(metadata.userData, "base64")).toString("utf8");
    for (const value of Object.values(secrets)) {
      assert.ok(!projectText.includes(value), `project bundle holds ${value}`);
      assert.ok(!userData.includes(value), `user-data holds ${value}`);
    }
    const secretDir = untar(metadata.secrets);
    assert.equal(readFileSync(join(secretDir, "secrets/cloudflared.env"), "utf8"), "TUNNEL_TOKEN='sentinel-tunnel-token'\n");
    assert.match(readFileSync(join(secretDir, "secrets/backup.env"), "utf8"), /RESTIC_PASSWORD='sentinel-restic-password'/);
    assert.equal(statSync(join(secretDir, "secrets/authentik.env")).mode & 0o777, 0o600);
  });

  it("refuses a secret that an env file cannot hold, naming the variable", () => {
    assert.throws(() => envFile({ POSTGRES_PASSWORD: "it's" }), /POSTGRES_PASSWORD contains a single quote or a line break/);
    assert.throws(() => secretFiles({ ...secrets, tunnelToken: "" }), /TUNNEL_TOKEN is empty/);
  });

  it("writes cloud-init that the real `cloud-init schema` accepts: Docker, Compose plugin, key-only SSH, the sync timer", () => {
    const text = cloudInit();
    const dir = mkdtempSync(join(tmpdir(), "homelab-cloudinit-"));
    writeFileSync(join(dir, "user-data"), text);
    assertToolPasses("cloud-init", ["schema", "--config-file", join(dir, "user-data")]);
    const doc = parse(text) as { packages: string[]; ssh_pwauth: boolean; write_files: { path: string }[] };
    assert.ok(doc.packages.includes("docker.io") && doc.packages.includes("docker-compose-v2"));
    assert.equal(doc.ssh_pwauth, false);
    assert.ok(doc.write_files.some((f) => f.path === "/etc/systemd/system/homelab-sync.timer"));
  });

  it("the real validator rejects a broken cloud-init, so the test above can fail", () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-cloudinit-"));
    writeFileSync(join(dir, "user-data"), "#cloud-config\nssh_pwauth: [1, 2]\npackages: docker.io\n");
    assert.notEqual(runTool("cloud-init", ["schema", "--config-file", join(dir, "user-data")]).code, 0);
  });

  it("changes only the project metadata when a document changes: user-data stays, so the VM is updated in place", () => {
    const before = managementMetadata(input, secrets, sshKey);
    const after = managementMetadata({ ...input, blueprints: { "homelab-groups.yaml": "version: 1\nentries: []\n" } }, secrets, sshKey);
    assert.equal(after.userData, before.userData);
    assert.equal(after.secrets, before.secrets);
    assert.notEqual(after.project, before.project);
    // Same documents, same bytes: no spurious update.
    assert.equal(managementMetadata(input, secrets, sshKey).project, before.project);
  });

  it("refuses a bundle over OCI's 32,000-byte metadata limit with a clear message", () => {
    const noise = Array.from({ length: 4000 }, (_, i) => `${(i * 2654435761) % 4294967296}`).join("\n");
    // A ConfigError of the cloud stack: the plan prints its line (a growing catalog reaches it), never a stack trace.
    assert.throws(
      () => managementMetadata({ ...input, blueprints: { "huge.yaml": noise } }, secrets, sshKey),
      (e: unknown) => e instanceof ConfigError && e.stackName === "cloud" && /^management VM: the instance metadata would be \d+ bytes, over OCI's 32000 .*; fix: /.test(e.problems[0]!),
    );
  });

  it("builds SideroLink kernel arguments as Omni does (gRPC tunnel), and names the key on a malformed token", () => {
    // Expected value changed on purpose (issue 13): the machine API's own port, and the event
    // sink on --event-sink-port (8091), where the old arguments sent events to 8090.
    assert.equal(
      siderolinkKernelArgs(siderolinkApiUrl(input.hostnames), "abc_DEF-123"),
      "siderolink.api=https://omni-siderolink.example.com:8090/?grpc_tunnel=true&jointoken=abc_DEF-123 talos.events.sink=[fdae:41e4:649b:9303::1]:8091 talos.logging.kernel=tcp://[fdae:41e4:649b:9303::1]:8092",
    );
    assert.throws(() => siderolinkKernelArgs("https://x", "a b"), /homelab:omniJoinToken is not an Omni join token/);
  });

  it("kernel arguments and Omni's flags agree on every port (the event sink once differed: 8090 against 8091)", () => {
    const args = omniArgs(input);
    const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))!.slice(name.length + 3);
    const kernel = siderolinkKernelArgs(flag("siderolink-api-advertised-url"), "t");
    const sink = /talos\.events\.sink=\[[^\]]+\]:(\d+)/.exec(kernel)![1];
    const logs = /talos\.logging\.kernel=tcp:\/\/\[[^\]]+\]:(\d+)/.exec(kernel)![1];
    const api = new URL(/siderolink\.api=(\S+)/.exec(kernel)![1]!);
    assert.equal(sink, flag("event-sink-port"));
    assert.equal(logs, flag("log-server-port"));
    assert.equal(api.port, flag("machine-api-bind-addr").split(":")[1]);
    assert.equal(api.searchParams.get("grpc_tunnel"), "true");
    // A fixture with the old mismatch is caught by the same comparison.
    assert.notEqual("8090", flag("event-sink-port"));
  });

  it("ships shellcheck-clean scripts", () => {
    assertToolPasses("shellcheck", ["-x", join(filesDir, "homelab-sync.sh"), join(filesDir, "backup.sh"), join(filesDir, "pg-dump.sh"), join(filesDir, "acme.sh")]);
    assert.ok(projectFiles(input).some((f) => f.path === "homelab-sync.sh" && f.mode === 0o755));
  });
});

describe("component ManagementVm: in the cloud plan", () => {
  it("creates oci-mgmt under the component, IMDSv2 only, with the secrets only in the secret extended metadata", async () => {
    const cloud = await examplePlan("cloud");
    const vm = cloud.resources.find((r) => r.name === "oci-mgmt")!;
    assert.equal(vm.parent, "urn:pulumi:cloud::homelab::homelab:mgmt:ManagementVm::homelab");
    assert.deepEqual(vm.inputs.instanceOptions, { areLegacyImdsEndpointsDisabled: true });
    const metadata = vm.inputs.metadata as Record<string, string>;
    assert.match(metadata.ssh_authorized_keys!, /^ssh-ed25519 /);
    assert.equal(gunzipSync(Buffer.from(metadata.user_data!, "base64")).toString("utf8"), cloudInit());
    assert.ok(metadata["homelab-project"]!.length > 100);
    assert.equal(vm.inputs.extendedMetadata, "[secret]");
    assert.match(String(cloud.outputs.mgmtProjectDigest), /^[0-9a-f]{64}$/);
    assert.equal(cloud.outputs.mgmtResticPassword, "[secret]");
    assert.equal(cloud.outputs.siderolinkKernelArgs, "[secret]");
    assert.equal(cloud.outputs.omniSiderolinkUrl, "https://omni-siderolink.example.com:8090/");
  });
});

describe("component ManagementVm: homelab-sync on a fake root", () => {
  const script = join(filesDir, "homelab-sync.sh");

  function setup() {
    const fr = fakeRoot();
    const imds = join(fr.root, "..", "imds");
    const state = join(fr.root, "..", "state");
    mkdirSync(imds);
    mkdirSync(state);
    fr.shim("curl", `exec cat "${imds}/$(printf '%s' "$*" | sed 's|.*/||')"`);
    fr.shim("docker", `case "$*" in *" config "*) [ ! -f "${state}/compose-invalid" ] ;; esac`);
    // iptables keeps its rules as `-A <chain> <spec>` lines: -C/-I/-D/-S behave like the real one.
    const rules = join(state, "iptables");
    writeFileSync(rules, "");
    fr.shim(
      "iptables",
      `op="$1"; shift; chain="$1"; shift; line="-A $chain $*"
case "$op" in
  -C) grep -qxF -- "$line" "${rules}" ;;
  -I) printf '%s\\n' "$line" >> "${rules}" ;;
  -D) grep -vxF -- "$line" "${rules}" > "${rules}.new" || true; mv "${rules}.new" "${rules}" ;;
  -S) grep -- "^-A $chain " "${rules}" || true ;;
esac`,
    );
    fr.shim("gpg", 'case "$*" in *--list-keys*) echo "fpr:::::::::0123456789ABCDEF:" ;; *--export-secret-keys*) echo "-----BEGIN PGP PRIVATE KEY BLOCK-----" ;; esac');
    // Only root may hand a directory to uid 1000; elsewhere the call is recorded (see the mounts test).
    if (process.getuid?.() !== 0) fr.shim("chown");
    const publish = (documents: ManagementDocumentsInput) => {
      const m = managementMetadata(documents, secrets, sshKey);
      writeFileSync(join(imds, "homelab-project"), m.project);
      writeFileSync(join(imds, "homelab-secrets"), m.secrets);
    };
    const firewall = () => readFileSync(rules, "utf8").split("\n").filter((l) => l !== "");
    return { fr, state, publish, firewall };
  }
  /** Calls that change something (queries left out). */
  const changing = (calls: string[]) => calls.filter((c) => !/^(curl |iptables -[CS] )/.test(c));
  const ups = (calls: string[]) => calls.filter((c) => / up -d --remove-orphans$/.test(c));

  it("applies the project once, then does nothing while the metadata is unchanged", () => {
    const { fr, publish, firewall } = setup();
    publish(input);
    const first = fr.run(script);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(ups(fr.calls()), [`docker compose --project-directory ${fr.path("opt/homelab")} up -d --remove-orphans`]);
    assert.equal(readFileSync(fr.path("opt/homelab/compose.yaml"), "utf8"), projectFiles(input).find((f) => f.path === "compose.yaml")!.content);
    assert.equal(statSync(fr.path("opt/homelab/secrets/postgres.env")).mode & 0o777, 0o600);
    assert.equal(statSync(fr.path("usr/local/sbin/homelab-sync")).mode & 0o777, 0o755);
    // The key is made on the VM; the certificate comes from the acme service, not from here.
    assert.ok(existsSync(fr.path("var/lib/homelab/omni/omni.asc")) && existsSync(fr.path("var/lib/homelab/acme")));
    assert.ok(!existsSync(fr.path("var/lib/homelab/omni/tls/omni.crt")));
    assert.deepEqual(firewall(), [
      "-A DOCKER-USER -d 169.254.169.254/32 -j REJECT",
      "-A OUTPUT -d 169.254.169.254/32 -m owner --uid-owner 65532 -j REJECT",
      "-A INPUT -p tcp --dport 443 -m comment --comment homelab-exception=omni-api -j ACCEPT",
      "-A INPUT -p tcp --dport 8090 -m comment --comment homelab-exception=omni-siderolink -j ACCEPT",
    ]);

    // Expected value changed on purpose (issue 13): every tick now checks the host firewall too
    // (queries only, filtered here), because a reboot empties the rules.
    fr.clearCalls();
    const second = fr.run(script);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(changing(fr.calls()), [], "the second run changed something");
  });

  it("restores the host firewall after a reboot without a project change, and removes an exception's rule once it is gone", () => {
    const { fr, state, publish, firewall } = setup();
    publish(input);
    assert.equal(fr.run(script).code, 0);
    writeFileSync(join(state, "iptables"), "-A INPUT -p tcp --dport 8443 -m comment --comment homelab-exception=retired -j ACCEPT\n");
    const run = fr.run(script);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(ups(fr.calls()), [`docker compose --project-directory ${fr.path("opt/homelab")} up -d --remove-orphans`], "the project was applied again");
    assert.deepEqual(firewall().sort(), [
      "-A DOCKER-USER -d 169.254.169.254/32 -j REJECT",
      "-A INPUT -p tcp --dport 443 -m comment --comment homelab-exception=omni-api -j ACCEPT",
      "-A INPUT -p tcp --dport 8090 -m comment --comment homelab-exception=omni-siderolink -j ACCEPT",
      "-A OUTPUT -d 169.254.169.254/32 -m owner --uid-owner 65532 -j REJECT",
    ]);
    assert.match(run.stderr, /no longer admits tcp\/8443 \(retired\)/);
  });

  it("restarts Omni when the acme service installed a renewed certificate, not for the first one", () => {
    const { fr, publish } = setup();
    publish(input);
    fr.write("var/lib/homelab/omni/tls/omni.crt", "first\n");
    assert.equal(fr.run(script).code, 0);
    const restarts = () => fr.calls().filter((c) => c.endsWith(" restart omni"));
    assert.deepEqual(restarts(), []);
    fr.clearCalls();
    assert.equal(fr.run(script).code, 0);
    assert.deepEqual(restarts(), []);
    fr.write("var/lib/homelab/omni/tls/omni.crt", "renewed\n");
    const run = fr.run(script);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(restarts(), [`docker compose --project-directory ${fr.path("opt/homelab")} restart omni`]);
    fr.clearCalls();
    assert.equal(fr.run(script).code, 0);
    assert.deepEqual(restarts(), [], "restarted twice for one certificate");
  });

  it("re-applies a changed project in place and leaves the service data alone", () => {
    const { fr, publish } = setup();
    publish(input);
    assert.equal(fr.run(script).code, 0);
    fr.write("var/lib/homelab/postgres/PG_VERSION", "16\n");
    const key = readFileSync(fr.path("var/lib/homelab/omni/omni.asc"), "utf8");
    publish({ ...input, blueprints: { "homelab-groups.yaml": "version: 1\nentries: []\n" } });
    fr.clearCalls();
    const run = fr.run(script);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(ups(fr.calls()).length, 1);
    assert.ok(existsSync(fr.path("opt/homelab/authentik/blueprints/homelab-groups.yaml")));
    assert.equal(readFileSync(fr.path("var/lib/homelab/postgres/PG_VERSION"), "utf8"), "16\n");
    assert.equal(readFileSync(fr.path("var/lib/homelab/omni/omni.asc"), "utf8"), key, "Omni's key was regenerated");
    assert.ok(!fr.calls().some((c) => c.startsWith("gpg ")));
  });

  it("keeps the running project when the new one does not validate, and retries on the next tick", () => {
    const { fr, state, publish } = setup();
    publish(input);
    assert.equal(fr.run(script).code, 0);
    const applied = readFileSync(fr.path("var/lib/homelab/applied.sha256"), "utf8");
    writeFileSync(join(state, "compose-invalid"), "");
    publish({ ...input, blueprints: { "broken.yaml": "x" } });
    fr.clearCalls();
    const run = fr.run(script);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /does not validate; keeping the running one/);
    assert.deepEqual(ups(fr.calls()), []);
    assert.ok(!existsSync(fr.path("opt/homelab/authentik/blueprints/broken.yaml")));
    assert.equal(readFileSync(fr.path("var/lib/homelab/applied.sha256"), "utf8"), applied);
  });
});

describe("component ManagementVm: Omni's certificate (acme.sh with a stand-in lego)", () => {
  const script = join(filesDir, "acme.sh");
  function setup(legoBody: string) {
    const fr = fakeRoot();
    fr.shim("lego", legoBody);
    const env = {
      ACME_DOMAINS: "omni.example.com omni-siderolink.example.com",
      ACME_EMAIL: "admin@example.com",
      LEGO_PATH: fr.path("data"),
      TLS_DIR: fr.path("tls"),
      CLOUDFLARE_DNS_API_TOKEN: "test-only",
      ACME_ONCE: "1",
      // The stand-in is called by its path, as the image's /lego is: no `lego` is on PATH.
      LEGO_BIN: join(fr.bin, "lego"),
    };
    const runWith = (extra: Record<string, string> = {}) => spawnSync("sh", [script], { env: { ...env, PATH: process.env.PATH, ...extra }, encoding: "utf8" });
    return { fr, env, run: () => runWith(), runWith };
  }

  it("runs lego where the pinned image has it (/lego, goacme/lego buildx.Dockerfile @ v4.35.2), never from PATH", () => {
    // goreleaser builds the published image from buildx.Dockerfile: `COPY $TARGETPLATFORM/lego /`,
    // `ENTRYPOINT ["/lego"]`; nothing puts it on the alpine PATH, so a bare `lego` is "not found".
    assert.equal(legoBinary, "/lego");
    assert.equal(composeProject(input).services.acme!.environment!.LEGO_BIN, legoBinary);
    const { fr, run } = setup(issuing);
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.equal(fr.calls().length, 1);
  });
  // Issues (run) or re-issues (renew with RENEWED set) a pair named after the first domain.
  const issuing = 'for a; do last="$a"; done; case "$*" in *" run"|*" renew "*) d="$LEGO_PATH/certificates"; mkdir -p "$d"; if [ ! -f "$d/omni.example.com.crt" ] || [ -n "$RENEWED" ]; then echo "cert $RENEWED" > "$d/omni.example.com.crt"; echo key > "$d/omni.example.com.key"; fi ;; esac; : "$last"';

  it("obtains the certificate for every name, installs it for Omni, then only renews", () => {
    const { fr, run } = setup(issuing);
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(fr.calls(), [
      `lego --accept-tos --email admin@example.com --dns cloudflare --path ${fr.path("data")} --domains omni.example.com --domains omni-siderolink.example.com run`,
    ]);
    assert.equal(readFileSync(fr.path("tls/omni.crt"), "utf8"), "cert \n");
    assert.equal(statSync(fr.path("tls/omni.key")).mode & 0o777, 0o600);
    fr.clearCalls();
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.match(fr.calls()[0]!, / renew --days 30 --force-cert-domains$/);
    assert.doesNotMatch(second.stderr, /installed/);
  });

  it("installs a renewed certificate, and keeps the old one when lego fails", () => {
    const { fr, run, runWith } = setup(issuing);
    assert.equal(run().status, 0);
    const renewed = runWith({ RENEWED: "2" });
    assert.equal(renewed.status, 0, renewed.stderr);
    assert.equal(readFileSync(fr.path("tls/omni.crt"), "utf8"), "cert 2\n");
    fr.shim("lego", "exit 3");
    const failed = run();
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /lego failed \(exit 3\); retrying in 3600s/);
    assert.equal(readFileSync(fr.path("tls/omni.crt"), "utf8"), "cert 2\n");
  });

  it("refuses to start without the DNS token, naming the file it comes from", () => {
    const { fr, runWith } = setup(issuing);
    const run = runWith({ CLOUDFLARE_DNS_API_TOKEN: "" });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /CLOUDFLARE_DNS_API_TOKEN in secrets\/acme\.env/);
    assert.deepEqual(fr.calls(), []);
  });
});

describe("component ManagementVm: every container can open what it mounts", () => {
  const script = join(filesDir, "homelab-sync.sh");
  const root = process.getuid?.() === 0;

  /** Runs the real sync script on a fake root with the real bundle; as non-root, chown is recorded instead of done. */
  function synced(project?: Buffer) {
    const fr = fakeRoot();
    const imds = join(fr.root, "..", "imds");
    mkdirSync(imds);
    fr.shim("curl", `exec cat "${imds}/$(printf '%s' "$*" | sed 's|.*/||')"`);
    for (const quiet of ["docker", "iptables", "gpg", "openssl"]) fr.shim(quiet);
    if (!root) fr.shim("chown");
    const m = managementMetadata({ ...input, blueprints: { "homelab.yaml": "version: 1\nentries: []\n" } }, secrets, sshKey);
    writeFileSync(join(imds, "homelab-project"), project ? project.toString("base64") : m.project);
    writeFileSync(join(imds, "homelab-secrets"), m.secrets);
    const run = fr.run(script);
    assert.equal(run.code, 0, run.stderr);
    // What the script asked chown to do, where the test could not do it for real.
    const overrides = new Map<string, Identity>();
    for (const call of fr.calls().filter((c) => c.startsWith("chown "))) {
      const [, owner, ...paths] = call.split(" ");
      const [uid, gid] = owner!.split(":").map(Number);
      for (const p of paths) overrides.set(p, { uid: uid!, gid: gid! });
    }
    return { fr, overrides };
  }

  function problemsOf(fr: ReturnType<typeof fakeRoot>, overrides: OwnerOverrides): string[] {
    const compose = parse(readFileSync(fr.path("opt/homelab/compose.yaml"), "utf8")) as { services: Record<string, { volumes?: string[] }> };
    const problems: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      const user = serviceUsers[name];
      assert.ok(user, `no user known for service ${name}`);
      for (const volume of service.volumes ?? []) {
        const [source, , mode] = volume.split(":") as [string, string, string?];
        const path = source.startsWith("./") ? fr.path(`opt/homelab/${source.slice(2)}`) : fr.path(source.slice(1));
        for (const p of mountAccessProblems(fr.root, path, user, mode !== "ro", overrides)) problems.push(`${name} (uid ${user.uid}): ${volume}: ${p}`);
      }
    }
    return problems;
  }

  it("extracts the real bundle as the sync script does and lets Authentik (uid 1000) read its blueprints and write its data", () => {
    const { fr, overrides } = synced();
    assert.deepEqual(problemsOf(fr, overrides), []);
    assert.equal(statSync(fr.path("opt/homelab/authentik/blueprints")).mode & 0o777, 0o755);
    assert.equal(statSync(fr.path("opt/homelab/secrets")).mode & 0o777, 0o700);
    assert.equal(statSync(fr.path("opt/homelab/secrets/authentik.env")).mode & 0o777, 0o600);
    assert.equal(statSync(fr.path("var/lib/homelab/omni")).mode & 0o777, 0o700);
    for (const dir of ["var/lib/homelab/authentik/data", "var/lib/homelab/authentik/certs"]) {
      const owner = overrides.get(fr.path(dir)) ?? { uid: statSync(fr.path(dir)).uid, gid: statSync(fr.path(dir)).gid };
      assert.deepEqual(owner, { uid: 1000, gid: 1000 }, dir);
    }
    if (root) {
      // As root the test can also ask the kernel, as uid 1000, for real.
      for (const dir of [fr.root, join(fr.root, "..")]) chmodSync(dir, 0o755);
      const asAuthentik = (command: string) => spawnSync("setpriv", ["--reuid=1000", "--regid=1000", "--clear-groups", "sh", "-c", command], { encoding: "utf8" });
      assert.equal(asAuthentik(`cat '${fr.path("opt/homelab/authentik/blueprints/homelab.yaml")}'`).status, 0);
      assert.equal(asAuthentik(`touch '${fr.path("var/lib/homelab/authentik/data/probe")}'`).status, 0);
      assert.notEqual(asAuthentik(`cat '${fr.path("opt/homelab/secrets/authentik.env")}'`).status, 0, "uid 1000 reads the secrets");
    }
  });

  it("the check fails on the bundle of before this issue: no directory entries, extracted by GNU tar under the old umask 077", () => {
    const m = managementMetadata({ ...input, blueprints: { "homelab.yaml": "version: 1\nentries: []\n" } }, secrets, sshKey);
    const base = mkdtempSync(join(tmpdir(), "homelab-oldsync-"));
    const project = join(base, "opt/homelab");
    mkdirSync(project, { recursive: true, mode: 0o755 });
    const old = spawnSync("sh", ["-c", `umask 077 && tar -xzf - -C '${project}' --no-same-owner`], { input: withoutDirectoryEntries(Buffer.from(m.project, "base64")) });
    assert.equal(old.status, 0, String(old.stderr));
    const problems = mountAccessProblems(base, join(project, "authentik/blueprints"), serviceUsers["authentik-worker"]!, false);
    assert.ok(problems.some((p) => /^\/opt\/homelab\/authentik \(0700 \d+:\d+\) cannot be traversed$/.test(p)), problems.join("\n"));
    // The same bundle with its directory entries, under the same umask, passes: GNU tar restores the
    // archive's modes when it runs as root, as the sync script does (as another user it applies the umask).
    const fixed = mkdtempSync(join(tmpdir(), "homelab-newsync-"));
    mkdirSync(join(fixed, "opt/homelab"), { recursive: true, mode: 0o755 });
    assert.equal(spawnSync("sh", ["-c", `umask 077 && tar -xzf - -C '${join(fixed, "opt/homelab")}' --no-same-owner`], { input: Buffer.from(m.project, "base64") }).status, 0);
    if (root) assert.deepEqual(mountAccessProblems(fixed, join(fixed, "opt/homelab/authentik/blueprints"), serviceUsers["authentik-worker"]!, false), []);
  });
});

/** A copy of a tar.gz without its directory entries, as lib/tar wrote it before this issue. */
function withoutDirectoryEntries(archive: Buffer): Buffer {
  const data = gunzipSync(archive);
  const kept: Buffer[] = [];
  for (let offset = 0; offset + 512 <= data.length; ) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = Number.parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/s, "").trim() || "0", 8);
    const length = 512 + Math.ceil(size / 512) * 512;
    if (String.fromCharCode(header[156]!) !== "5") kept.push(data.subarray(offset, offset + length));
    offset += length;
  }
  return gzipSync(Buffer.concat([...kept, Buffer.alloc(1024)]));
}

describe("component ManagementVm: backups", () => {
  const backupEnv = (dir: string, extra: Record<string, string> = {}) => ({
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    TZ: "UTC",
    RESTIC_REPOSITORY: join(dir, "repo"),
    RESTIC_PASSWORD: "test-only",
    RESTIC_CACHE_DIR: join(dir, "cache"),
    BACKUP_STATE_DIR: join(dir, "state"),
    BACKUP_ONCE: "1",
    BACKUP_CLASSES: "critical",
    BACKUP_CRITICAL_PATHS: join(dir, "data"),
    BACKUP_CRITICAL_INTERVAL: "86400",
    BACKUP_CRITICAL_KEEP: "--keep-daily 7 --keep-weekly 4 --keep-monthly 6",
    BACKUP_CRITICAL_LIMIT_KIBPS: "4096",
    ...extra,
  });

  it("the compose service runs one restic job per class of the VM's records, in UTC, failures to ntfy", () => {
    const environment = composeProject(input).services.backup!.environment!;
    assert.equal(environment.BACKUP_CLASSES, "critical");
    assert.equal(environment.BACKUP_CRITICAL_PATHS, "/data/dumps /data/authentik-data /data/omni");
    assert.equal(environment.BACKUP_CRITICAL_INTERVAL, "86400");
    assert.equal(environment.BACKUP_CRITICAL_KEEP, "--keep-daily 7 --keep-weekly 4 --keep-monthly 6");
    assert.equal(environment.TZ, "UTC");
    assert.equal(environment.NTFY_URL, "https://ntfy.example.com/homelab-alerts");
  });

  it("backup.sh creates the repository, backs up per class, keeps the class's snapshots and checks a data subset (real restic)", () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-restic-"));
    mkdirSync(join(dir, "data/omni"), { recursive: true });
    writeFileSync(join(dir, "data/omni/state.db"), "omni state\n");
    const env = backupEnv(dir);
    for (let i = 0; i < 2; i++) {
      const run = spawnSync("sh", [join(filesDir, "backup.sh")], { env, encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, /class critical done \(checked data subset [1-7]\/7\)/);
    }
    const snapshots = JSON.parse(spawnSync("restic", ["snapshots", "--json"], { env, encoding: "utf8" }).stdout) as { hostname: string; tags: string[] }[];
    assert.equal(snapshots.length, 1, "the class keeps one snapshot per day");
    assert.equal(snapshots[0]!.hostname, "oci-mgmt");
    assert.deepEqual(snapshots[0]!.tags, ["mgmt", "class=critical"]);
    const restored = spawnSync("restic", ["dump", "latest", join(dir, "data/omni/state.db")], { env, encoding: "utf8" });
    assert.equal(restored.stdout, "omni state\n");
  });

  it("backup.sh never creates a new repository over one it cannot read, and tells ntfy (real restic, local ntfy stand-in)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-restic-"));
    mkdirSync(join(dir, "data"), { recursive: true });
    writeFileSync(join(dir, "data/file"), "x\n");
    assert.equal(spawnSync("sh", [join(filesDir, "backup.sh")], { env: backupEnv(dir), encoding: "utf8" }).status, 0);
    const received: { auth: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ auth: String(req.headers.authorization), body });
        res.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/homelab-alerts`;
      const { spawn } = await import("node:child_process");
      const child = spawn("sh", [join(filesDir, "backup.sh")], { env: backupEnv(dir, { RESTIC_PASSWORD: "wrong", NTFY_URL: url, NTFY_TOKEN: "tk_test" }) });
      let stderr = "";
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
      assert.equal(code, 1);
      assert.match(stderr, /restic cannot open .* \(exit 1\)/);
      assert.ok(!stderr.includes("creating it"), "it initialised a new repository over the real one");
      assert.equal(received.length, 1);
      assert.equal(received[0]!.auth, "Bearer tk_test");
      assert.match(received[0]!.body, /restic cannot open/);
      // The real repository is untouched: still one snapshot, readable with the right password.
      const snapshots = JSON.parse(spawnSync("restic", ["snapshots", "--json"], { env: backupEnv(dir), encoding: "utf8" }).stdout) as unknown[];
      assert.equal(snapshots.length, 1);
    } finally {
      server.close();
    }
  });

  it("pg-dump.sh replaces the dump only once pg_dump has finished", () => {
    const fr = fakeRoot();
    fr.shim("pg_dump", 'while [ $# -gt 1 ]; do [ "$1" = --file ] && out="$2"; shift; done; echo dump > "$out"');
    const dumps = fr.path("dumps");
    mkdirSync(dumps);
    const run = spawnSync("sh", [join(filesDir, "pg-dump.sh")], { env: { PATH: `${fr.bin}:${process.env.PATH}`, DUMP_DIR: dumps, DUMP_ONCE: "1" }, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(join(dumps, "authentik.dump"), "utf8"), "dump\n");
    assert.ok(!existsSync(join(dumps, "authentik.dump.partial")));
    assert.match(fr.calls()[0]!, /^pg_dump --host postgresql --username authentik --format custom --file .*authentik\.dump\.partial authentik$/);
  });
});

describe("lib/tar", () => {
  it("is read by GNU tar, deterministic, and refuses unsafe paths", () => {
    const a = tarGzip([{ path: "b.txt", content: "b" }, { path: "a/x.sh", content: "#!/bin/sh\n", mode: 0o755 }]);
    assert.deepEqual(a, tarGzip([{ path: "a/x.sh", content: "#!/bin/sh\n", mode: 0o755 }, { path: "b.txt", content: "b" }]));
    const listing = spawnSync("tar", ["-tvzf", "-"], { input: a, encoding: "utf8" }).stdout;
    assert.match(listing, /^-rwxr-xr-x .* a\/x\.sh$/m);
    assert.throws(() => tarGzip([{ path: "../etc/passwd", content: "" }]), /not a safe relative path/);
    assert.throws(() => tarGzip([{ path: "a", content: "" }, { path: "a", content: "" }]), /appears twice/);
  });
});
