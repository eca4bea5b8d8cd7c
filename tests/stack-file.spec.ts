import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rawConfigFromYaml, readStackFile, StackFileError } from "../tooling/plan/stack-file";

const file = "Pulumi.dev.yaml";

function problemsOf(text: string): string[] {
  try {
    rawConfigFromYaml(text, file);
  } catch (error) {
    assert.ok(error instanceof StackFileError, `expected a StackFileError, got ${String(error)}`);
    assert.equal(error.file, file);
    return [...error.problems];
  }
  assert.fail("the file was accepted");
}

/** A pasted OpenSSH private key (fake material, the shape of a real one). */
const pastedKeyBody = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";

describe("stack files: what Pulumi would not read, named by file, line and column", () => {
  // Each case: the file's text and the exact lines the admin gets.
  const cases: { name: string; text: string; lines: string[] }[] = [
    {
      name: "a duplicate key",
      text: "config:\n  homelab:domain: example.com\n  homelab:domain: example.org\n",
      lines: ['Pulumi.dev.yaml:3:3: the key "homelab:domain" appears twice in the same map (Pulumi would reject the file); fix: keep one of the two entries'],
    },
    {
      name: "tab indentation",
      text: "config:\n\thomelab:domain: example.com\n",
      lines: ["Pulumi.dev.yaml:2:1: a tab indents this line, and YAML indents with spaces only; fix: replace the tab with spaces"],
    },
    {
      name: "an unclosed quote (named where it opens, not where the file ends)",
      text: 'config:\n  homelab:domain: "example.com\n  homelab:cloudStack: example-org/homelab/cloud\n',
      lines: ['Pulumi.dev.yaml:2:19: a double-quoted value opens on this line and is never closed; fix: add the closing " (or remove the opening one)'],
    },
    {
      name: "an unclosed flow list",
      text: "config:\n  homelab:adminEmails: [a@example.com\n  homelab:domain: example.com\n",
      lines: ['Pulumi.dev.yaml:2: a [ list opens on this line and is never closed with ]; fix: close it on the same line, or write one "- item" per line'],
    },
    {
      name: "an alias bomb",
      text:
        "config:\n  homelab:a: &a [x, x, x, x, x, x, x, x, x]\n  homelab:b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
        "  homelab:c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  homelab:d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  homelab:domain: *d\n",
      lines: ["Pulumi.dev.yaml: aliases expand into more data than a stack file holds (a 'billion laughs' pattern); fix: write the values out instead of using anchors and aliases"],
    },
    {
      name: "a private key pasted without a block scalar (its lines never quoted)",
      text: `config:\n  homelab:sshPublicKey: -----BEGIN OPENSSH PRIVATE KEY-----\n${pastedKeyBody}\n-----END OPENSSH PRIVATE KEY-----\n  homelab:domain: example.com\n`,
      lines: [
        "Pulumi.dev.yaml:3:1: a key runs over several lines (a pasted multi-line value?); fix: write multi-line values as a block (key: |) indented under the key, or set them with pulumi config set",
        "Pulumi.dev.yaml:2: this line holds what looks like a private key in plain text; fix: remove it from the file, rotate it, and store it with pulumi config set --secret <key> <value>",
      ],
    },
    {
      name: "a key without its namespace, and a nested namespace map",
      text: "config:\n  domain: example.com\n  homelab:\n    cloudStack: example-org/homelab/cloud\n",
      lines: [
        'Pulumi.dev.yaml:2:3: config key "domain" is not of the form namespace:name; fix: write it as homelab:domain (config keys carry their namespace)',
        'Pulumi.dev.yaml:3:3: config key "homelab" is not of the form namespace:name; fix: config is flat: write each nested key as homelab:<name> directly under "config:" (e.g. homelab:domain: …)',
      ],
    },
    {
      name: "a misspelt config section",
      text: "cofnig:\n  homelab:domain: example.com\n",
      lines: ['Pulumi.dev.yaml:1:1: top-level key "cofnig" is not one Pulumi reads (config, environment, secretsprovider, encryptedkey, encryptionsalt); did you mean "config"?; fix: move the settings under "config:" or remove the key'],
    },
    {
      name: "a secure value without ciphertext",
      text: "config:\n  homelab:omniServiceAccountKey:\n    secure: \n",
      lines: [`Pulumi.dev.yaml: homelab:omniServiceAccountKey: "secure:" holds no ciphertext; fix: pulumi config set --secret homelab:omniServiceAccountKey <value>`],
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name} with the exact line`, () => {
      assert.deepEqual(problemsOf(c.text), c.lines);
    });
  }

  it("never quotes the file's own lines, which may hold a pasted secret", () => {
    const problems = problemsOf(cases.find((c) => c.name.startsWith("a private key"))!.text).join("\n");
    assert.ok(!problems.includes(pastedKeyBody), problems);
    assert.ok(!problems.includes("BEGIN OPENSSH"), problems);
  });

  it("reads an empty value as empty, not as the text null", () => {
    const raw = rawConfigFromYaml("config:\n  homelab:domain:\n  homelab:proxmox:\n    lanCidr:\n", file);
    assert.deepEqual(raw["homelab:domain"], { value: "", secret: false });
    assert.deepEqual(JSON.parse(raw["homelab:proxmox"]!.value), { lanCidr: null });
  });

  it("reads an empty file as no config, so that each key is reported missing", () => {
    assert.deepEqual(rawConfigFromYaml("", file), {});
    assert.deepEqual(rawConfigFromYaml("# only a comment\n", file), {});
  });

  it("names a missing file with its folder and the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-stackfile-"));
    assert.throws(
      () => readStackFile("prod", dir),
      (error: unknown) =>
        error instanceof StackFileError &&
        error.problems[0] === `${join(dir, "Pulumi.prod.yaml")}: not found; fix: create the prod stack's file (pulumi stack init prod, then pulumi config set …), or point --dir at the folder that holds it`,
    );
  });

  it("reads the example files as before", () => {
    const dir = mkdtempSync(join(tmpdir(), "homelab-stackfile-"));
    writeFileSync(join(dir, "Pulumi.dev.yaml"), readFileSync("Pulumi.dev.yaml", "utf8"));
    const raw = readStackFile("dev", dir);
    assert.equal(raw["homelab:domain"]!.value, "example.com");
    assert.equal(raw["proxmoxve:apiToken"]!.secret, true);
  });
});

describe("a field of a plain object set with --secret --path", () => {
  it("names the object and tells to set the field again with --path, not to overwrite the object with one value", async () => {
    const { ConfigError, loadStackConfig } = await import("../lib/config");
    const text = readFileSync("Pulumi.cloud.yaml", "utf8").replace("    zoneId: fedcba9876543210fedcba9876543210", "    zoneId:\n      secure: v1:AAAAexampleciphertext");
    try {
      loadStackConfig("cloud", rawConfigFromYaml(text, "Pulumi.cloud.yaml"));
      assert.fail("accepted");
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      assert.deepEqual(error.problems, [
        "homelab:cloudflare = [secret]: a field inside it is a Pulumi secret (set with --secret --path), which makes the whole object secret, but this key is plain configuration (it is shown in plans and written into documents); fix: pulumi config set --path 'homelab:cloudflare.<field>' <value> (without --secret) for the field whose value is secure:",
      ]);
    }
  });
});
