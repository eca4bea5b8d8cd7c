import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadStackConfig, type StackName } from "../lib/config";
import { credentialKind, credentialRedactor } from "../lib/credentials";
import { formatPlan, planJson, planStacks } from "../tooling/plan/plan";
import { readStackFile } from "../tooling/plan/stack-file";
import program from "../index";

/**
 * Credentials an admin might paste into the wrong place, each fake but shaped like the real thing.
 * `fragments` are the parts that must not leak either (a key's lines, a URL's password).
 */
const planted = {
  rsaKey: [
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "-----END RSA PRIVATE KEY-----",
  ].join("\n"),
  opensshKey: [
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACDgJ9qVb3wPlAntedKeyMaterialForTheSpecOnly0123456789AAAAJh",
    "-----END OPENSSH PRIVATE KEY-----",
  ].join("\n"),
  githubToken: "ghp_R7fK2mQ9xW4vL8pZ3nT6yB1cH5jD0sA9eU2i",
  cloudflareToken: "Yq3vN8rT2kL5wZ9xB4mC7pF1sD6gH0jK3nQ8tV5e",
  telegramToken: "7204518833:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
  awsSecret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz83Kq9Lm2T",
  awsKeyId: "AKIAZ4QW7RTY2UIOP3SD",
  jwt: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJncmFmYW5hLWFkbWluIn0.4pcPyMD09olPSyXnrXCjTwXyr4BsezdI1AVTmud2fU4",
  bitwardenToken: "0.2f6c3a1e-8b4d-4e2f-9a7c-1d3e5f7a9b2c.Kx9mP2qR7tY4wZ1v:QmFzZTY0U2VjcmV0Rm9yVGhlU3BlY09ubHkxMjM0NTY=",
  urlPassword: "Pr0xm0xR00tPassw0rd",
  webhookPassword: "N8nWebh00kPassw0rd",
  registryPassword: "Tr0ub4dor-and-3-Horses",
  secretbox: "c2VjcmV0Ym94S2V5Rm9yVGhlU3BlY09ubHlBQkNERUZHSElKS0xNTk9QUVI=",
  caKey: "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUJvZ3VzU3BlY09ubHk=",
  entropy: "Zk3Qp9XwL2vR8mT5nY7cB4hJ6gF1dS0aE3uI9oP2lK8=",
  proxmoxToken: "root@pam!pulumi=5f0c7a3e-1b2d-4c6e-8f9a-0b1c2d3e4f5a",
  slackToken: "xoxb-2048613790-8301726549-ZyXwVuTsRqPoNmLkJiHgFeDc",
  misspeltPassword: "Tr0ub4dor&3-correct-horse",
} as const;

const fragmentsOf = (value: string) => [value, ...value.split("\n").filter((line) => line.length >= 20 && !line.startsWith("-----"))];
const allFragments = Object.values(planted).flatMap(fragmentsOf);

/** Identifiers that stay visible in the same outputs (under misspelt keys, to be fixed). */
const identifiers = {
  accountId: "0123456789abcdef0123456789abcdef",
  compartment: "ocid1.compartment.oc1..aaaaaaaaplantedcompartment",
  machine: "7d3c1a9e-2b4f-4c6d-8e0a-1b2c3d4e5f60",
  publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPlantedPublicKeyForTheSpec00000000000 admin@example.com",
};

const indent = (text: string, spaces: number) => text.split("\n").map((l) => " ".repeat(spaces) + l).join("\n");

/** The example stack files with every credential planted somewhere it does not belong. */
function plantedFiles(): Record<StackName, string> {
  const example = (stack: StackName) => readFileSync(`Pulumi.${stack}.yaml`, "utf8").trimEnd();
  const cloud = example("cloud")
    .replace(/ {2}homelab:sshPublicKey: [^\n]*/, `  homelab:sshPublicKey: |\n${indent(planted.rsaKey, 4)}`)
    .replace("  homelab:adminEmails:\n    - admin@example.com\n", `  homelab:adminEmails:\n    - admin@example.com\n    - ${planted.slackToken}\n`)
    .replace("  homelab:cloudflare:\n", `  homelab:cloudflare:\n    acountId: ${identifiers.accountId}\n`)
    .replace("    vcnCidr: 10.20.0.0/16\n", `    vcnCidr: 10.20.0.0/16\n    compartmentID: ${identifiers.compartment}\n`)
    .replace("    telegramChatId: 123456789\n", `    telegramChatId: 123456789\n    botToken: "${planted.telegramToken}"\n`)
    .concat(
      `\n  cloudflare:apiTokn: ${planted.cloudflareToken}`,
      `\n  homelab:provisioningWebhookUrl: https://n8n:${planted.webhookPassword}@n8n.example.com/webhook/authentik`,
      `\n  homelab:postgresPasword: "${planted.misspeltPassword}"`,
      `\n  homelab:sshPublicKy: ${identifiers.publicKey}`,
      `\n  homelab:cloudMachineId: ${identifiers.machine}`,
      "\n",
    );
  const prod = example("prod")
    .replace("proxmoxve:endpoint: https://192.0.2.10:8006/", `proxmoxve:endpoint: https://root:${planted.urlPassword}@192.0.2.10:8006/`)
    .replace(/ {2}homelab:bitwardenAccessToken:\n {4}secure: [^\n]*/, `  homelab:bitwardenAccessToken: "${planted.bitwardenToken}"`)
    .concat(`\n  homelab:deployKey: |\n${indent(planted.opensshKey, 4)}`, `\n  homelab:backupBlob: "${planted.entropy}"`, `\n  homelab:proxmoxToken: "${planted.proxmoxToken}"`, "\n");
  const dev = example("dev")
    .replace("  homelab:domain: example.com", `  homelab:domain: ${planted.githubToken}`)
    .concat(
      `\n  homelab:notes: "creds ${planted.awsKeyId} ${planted.awsSecret}"`,
      `\n  homelab:grafanaKey: ${planted.jwt}`,
      "\n  homelab:talosPatches:",
      "\n    - name: registry",
      "\n      target: cluster",
      "\n      patch:",
      "\n        machine:",
      `\n          ca:\n            key: ${planted.caKey}`,
      `\n          registries:\n            config:\n              ghcr.io:\n                auth:\n                  password: ${planted.registryPassword}`,
      `\n        cluster:\n          secretboxEncryptionSecret: ${planted.secretbox}`,
      "\n",
    );
  return { cloud, prod, dev };
}

function writeFolder(files: Partial<Record<StackName, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "homelab-planted-"));
  for (const [stack, text] of Object.entries(files)) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}

function runCli(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/plan.ts", ...args], { env: process.env });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", () => resolve(out));
  });
}

function assertNoCredential(where: string, output: string): void {
  const leaked = allFragments.filter((fragment) => output.includes(fragment));
  assert.deepEqual(leaked, [], `${where} shows a planted credential:\n${output}`);
}

describe("no output carries a credential, whatever key it sits under", () => {
  const files = plantedFiles();
  const folder = writeFolder(files);
  // The same private key pasted without a block scalar: a YAML error, whose lines are never quoted.
  const yamlFolder = writeFolder({
    ...files,
    cloud: readFileSync("Pulumi.cloud.yaml", "utf8").replace(/ {2}homelab:sshPublicKey: [^\n]*/, `  homelab:sshPublicKey: ${planted.opensshKey}`),
  });
  const cli: Record<string, Promise<string>> = {};
  before(() => {
    cli.text = runCli(["--stack", "all", "--dir", folder]);
    cli.json = runCli(["--stack", "all", "--dir", folder, "--json"]);
    cli.yaml = runCli(["--stack", "dev", "--dir", yamlFolder, "--json"]);
  });

  it("plants every credential where the checks must find it (the fixture is what it says)", () => {
    const everywhere = (["cloud", "prod", "dev"] as const).map((stack) => readFileSync(join(folder, `Pulumi.${stack}.yaml`), "utf8")).join("\n");
    for (const [name, value] of Object.entries(planted)) for (const line of value.split("\n")) assert.ok(everywhere.includes(line), `${name} is not planted`);
    for (const stack of ["cloud", "prod", "dev"] as const) assert.ok(Object.keys(readStackFile(stack, folder)).length > 10, `Pulumi.${stack}.yaml stays readable YAML`);
  });

  it("hides a credential of the config even in a line that quotes it (the reports' last net)", async () => {
    const result = await planStacks({ stacks: ["dev"], program, directory: folder });
    result.stacks[0]!.configErrors.push(`a careless message quoting ${planted.githubToken} and ${planted.jwt}`);
    assertNoCredential("formatPlan", formatPlan(result));
    assertNoCredential("planJson", JSON.stringify(planJson(result)));
    assert.ok(formatPlan(result).includes("a careless message quoting [hidden] and [hidden]"));
  });

  it("the config check refuses each stack without echoing one", () => {
    for (const stack of ["cloud", "prod", "dev"] as const) {
      try {
        loadStackConfig(stack, readStackFile(stack, folder));
        assert.fail(`${stack} was accepted`);
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        assertNoCredential(`the ${stack} config check`, error.message);
      }
    }
  });

  it("the plan's text and JSON reports carry none, and keep the identifiers needed to fix a typo", async () => {
    const result = await planStacks({ stacks: ["cloud", "prod", "dev"], program, directory: folder });
    assert.equal(result.ok, false);
    const text = formatPlan(result);
    const json = JSON.stringify(planJson(result));
    assertNoCredential("formatPlan", text);
    assertNoCredential("planJson", json);
    // Shown (a long value is cut at 80 characters, enough to recognise it).
    for (const [name, value] of Object.entries(identifiers)) assert.ok(text.includes(value.slice(0, 60)), `the ${name} is hidden:\n${text}`);
    // Each stack names the places of what it found, by key.
    for (const expected of [
      "cloudflare:apiTokn = [plain value, hidden]: unknown key, did you mean cloudflare:apiToken?",
      "homelab:postgresPasword = [plain value, hidden]: unknown key, did you mean homelab:postgresPassword?",
      "homelab:sshPublicKey = [hidden: looks like a private key]",
      "homelab:domain = [hidden: looks like a GitHub token]",
      "homelab:talosPatches[0].patch.machine.registries.config[\"ghcr.io\"].auth.password = [hidden: looks like a secret (by its key's name)]",
      "homelab:talosPatches[0].patch.machine.ca.key = [hidden: looks like a private key]",
      "homelab:backupBlob = [hidden: looks like a high-entropy string (a token or key)]",
      `proxmoxve:endpoint = "https://root:[hidden]@192.0.2.10:8006/": holds credentials (user:password@)`,
      "homelab:bitwardenAccessToken = [plain value, hidden]: looks like a secret but is a plain value",
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
    }
  });

  it("the CLI's text and --json outputs carry none, also for a YAML error around a pasted key", async () => {
    const [text, json, yaml] = await Promise.all([cli.text!, cli.json!, cli.yaml!]);
    assertNoCredential("npm run plan", text);
    assertNoCredential("npm run plan --json", json);
    assertNoCredential("npm run plan --json on a YAML error", yaml);
    assert.equal((JSON.parse(json) as { ok: boolean }).ok, false);
    const yamlDoc = JSON.parse(yaml) as { stacks: { stack: string; configErrors: string[] }[] };
    assert.match(yamlDoc.stacks[0]!.configErrors.join("\n"), /Pulumi\.cloud\.yaml:\d+: this line holds what looks like a private key in plain text/);
  });

  it("recognises each planted credential by its look or its key, and no identifier as one", () => {
    // Each as it was planted: under its key, or inside its URL.
    const keyOf: Partial<Record<keyof typeof planted, string>> = { misspeltPassword: "homelab:postgresPasword", registryPassword: "password", secretbox: "secretboxEncryptionSecret", cloudflareToken: "cloudflare:apiTokn" };
    const inContext: Partial<Record<keyof typeof planted, string>> = {
      urlPassword: `https://root:${planted.urlPassword}@192.0.2.10:8006/`,
      webhookPassword: `https://n8n:${planted.webhookPassword}@n8n.example.com/webhook/authentik`,
    };
    for (const [name, value] of Object.entries(planted) as [keyof typeof planted, string][]) {
      assert.ok(credentialKind(inContext[name] ?? value, { key: keyOf[name] ?? "homelab:note", unknown: true }), `${name} is not recognised`);
    }
    for (const [name, value] of Object.entries(identifiers)) assert.equal(credentialKind(value, { key: name, unknown: true }), undefined, name);
  });
});

describe("a hostile value cannot stall the credential checks", () => {
  // 100 kB values built to make a backtracking pattern retry from every position: repeated key
  // words without their "=", "user@" without a token, "scheme://user:" without "@", a key header's
  // base64 without the words that follow it. Unbounded quantifiers took minutes on these.
  const size = 100_000;
  const hostile: Record<string, string> = {
    "repeated password": "password".repeat(size / 8),
    "repeated 'x password:'": " password:".repeat(size / 10),
    "repeated token= without a value": "token=".repeat(size / 6),
    "user@ without a realm": "a@".repeat(size / 2),
    "user@realm! without a UUID": "a@b!c".repeat(size / 5),
    "scheme://user: without @": "http://" + "a:".repeat(size / 2),
    "nested schemes": "a://a:".repeat(size / 6),
    "a key header's base64 without its words": "LS0tLS1CRUdJTi" + "A".repeat(size),
    "a long JWT head": "eyJ" + "a".repeat(size),
    "mixed base64 alphabet": Array.from({ length: size }, (_, i) => "aZ9+/=_.~-"[i % 10]).join(""),
  };

  it("recognises or passes each 100 kB hostile value in well under a second, under a known and an unknown key", () => {
    for (const [name, value] of Object.entries(hostile)) {
      const started = performance.now();
      for (const context of [{ key: "homelab:domain" }, { key: "homelab:notez", unknown: true }]) credentialKind(value, context);
      credentialRedactor([value])(value);
      const took = performance.now() - started;
      assert.ok(took < 500, `${name}: ${Math.round(took)} ms`);
    }
  });

  it("plans a stack file holding them, with one line per key and none of the values echoed", async () => {
    const keys = Object.keys(hostile).map((_, i) => `homelab:hostile${i}`);
    const dev = readFileSync("Pulumi.dev.yaml", "utf8").trimEnd() + "\n" + keys.map((key, i) => `  ${key}: ${JSON.stringify(Object.values(hostile)[i])}`).join("\n") + "\n";
    const folder = writeFolder({ dev });
    const started = performance.now();
    const result = await planStacks({ stacks: ["dev"], program, directory: folder });
    const took = performance.now() - started;
    assert.ok(took < 5000, `the plan took ${Math.round(took)} ms`);
    assert.equal(result.ok, false);
    const text = formatPlan(result);
    for (const key of keys) assert.match(text, new RegExp(`${key}\\b[^\\n]*unknown key`), `no line for ${key}:\n${text.slice(0, 2000)}`);
    for (const value of Object.values(hostile)) assert.ok(!text.includes(value.slice(0, 200)), "a hostile value is echoed in full");
    assert.ok(text.length < 20_000, `the report is ${text.length} characters long`);
  });
});

describe("a credential pasted into a field that refuses it is not echoed by the refusal", () => {
  // The key is a known, plain one (an id, a name), so its name says nothing: before, the field's
  // error line quoted the value, and with it a token pasted into the zone id or split over two lines.
  const cloudflareToken = "Zk4pQ8wN2rT6yB1vC5xL9mJ3hG7fD0sA2eU4iO8q";
  const password = "Hunter2Correct!Horse";
  const refusal = (stack: StackName, text: string): string => {
    try {
      loadStackConfig(stack, readStackFile(stack, writeFolder({ [stack]: text })));
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.message;
    }
    return assert.fail(`${stack} was accepted`);
  };
  const cloud = readFileSync("Pulumi.cloud.yaml", "utf8");
  const dev = readFileSync("Pulumi.dev.yaml", "utf8");

  it("hides a token pasted into a Cloudflare id, and says what the field expects", () => {
    const message = refusal("cloud", cloud.replace("zoneId: fedcba9876543210fedcba9876543210", `zoneId: ${cloudflareToken}`));
    assert.ok(!message.includes(cloudflareToken.slice(0, 12)), message);
    assert.match(message, /homelab:cloudflare\.zoneId = \[hidden: looks like a high-entropy string \(a token or key\)\]: expected a 32-character hex Cloudflare id/);
  });

  it("hides a token folded over two lines of the domain, each half on its own", () => {
    const message = refusal("dev", dev.replace("homelab:domain: example.com", `homelab:domain: >-\n    ${cloudflareToken.slice(0, 20)}\n    ${cloudflareToken.slice(20)}`));
    for (const half of [cloudflareToken.slice(0, 20), cloudflareToken.slice(20)]) assert.ok(!message.includes(half), message);
    assert.match(message, /homelab:domain = \[hidden: looks like a high-entropy string \(a token or key\)\]: expected a lower-case DNS name/);
  });

  it("hides a password pasted into a name, and still shows a plain wrong value", () => {
    const message = refusal("cloud", cloud.replace("network: example-homelab", `network: ${password}`).replace("ntfyTopic: homelab-alerts", 'ntfyTopic: "homelab alerts"'));
    assert.ok(!message.includes(password), message);
    assert.match(message, /homelab:twingate\.network = \[hidden: looks like a password\]: expected the Twingate network name/);
    assert.match(message, /homelab:alerting\.ntfyTopic = "homelab alerts"/);
  });
});
