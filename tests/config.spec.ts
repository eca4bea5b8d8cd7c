import { strict as assert } from "node:assert";
import { ConfigError, loadStackConfig, SecretValue, type RawConfig, type StackName } from "../lib/config";
import { versions } from "../lib/versions";
import { editObject, exampleConfig, withKey, withoutKey, configProblems } from "./helpers";

const problemsOf = configProblems;

describe("typed stack config", () => {
  for (const stack of ["cloud", "prod", "dev"] as StackName[]) {
    it(`accepts the example Pulumi.${stack}.yaml and applies the story defaults`, () => {
      const loaded = loadStackConfig(stack, exampleConfig(stack));
      assert.equal(loaded.stack, stack);
      assert.equal(loaded.config["homelab:talosVersion"], versions.talos);
      assert.equal(loaded.config["homelab:kubernetesVersion"], versions.kubernetes);
    });
  }

  it("wraps secure values as secrets that never print", () => {
    const loaded = loadStackConfig("cloud", exampleConfig("cloud"));
    assert.equal(loaded.stack, "cloud");
    if (loaded.stack !== "cloud") return;
    const token = loaded.config["cloudflare:apiToken"];
    assert.ok(token instanceof SecretValue);
    assert.equal(String(token), "[secret]");
    assert.equal(JSON.stringify({ token }), '{"token":"[secret]"}');
  });

  it("reads the DEV VM size from the stories by default (2 vCPU / 4 GB / 50 GB)", () => {
    const loaded = loadStackConfig("dev", withoutKey(exampleConfig("dev"), "homelab:vms"));
    assert.equal(loaded.stack, "dev");
    if (loaded.stack === "dev") assert.deepEqual(loaded.config["homelab:vms"].node, { cores: 2, memoryGb: 4, diskGb: 50 });
  });

  // Each case: a broken config and a fragment the one error line must contain (key, value, fix).
  const invalid: { name: string; stack: StackName; raw: () => RawConfig; expect: RegExp[] }[] = [
    {
      name: "a plain value for a secret key",
      stack: "cloud",
      raw: () => withKey(exampleConfig("cloud"), "cloudflare:apiToken", "abc123"),
      expect: [/^cloudflare:apiToken = .*looks like a secret but is a plain value; fix: pulumi config set --secret cloudflare:apiToken/],
    },
    {
      name: "a plain Authentik bootstrap password (value never printed)",
      stack: "cloud",
      raw: () => withKey(exampleConfig("cloud"), "homelab:authentikBootstrapPassword", "hunter2"),
      expect: [/^homelab:authentikBootstrapPassword = \[plain value, hidden\]: looks like a secret/, /^homelab:authentikBootstrapPassword = .*must be a Pulumi secret/],
    },
    {
      name: "a missing required key",
      stack: "cloud",
      raw: () => withoutKey(exampleConfig("cloud"), "homelab:domain"),
      expect: [/^homelab:domain = \(missing\): is required but missing; .*fix: pulumi config set homelab:domain/],
    },
    {
      name: "a domain that is not a DNS name",
      stack: "cloud",
      raw: () => withKey(exampleConfig("cloud"), "homelab:domain", "Example_Com"),
      expect: [/^homelab:domain = "Example_Com": expected a lower-case DNS name/],
    },
    {
      name: "a Talos version outside the v1.9 line",
      stack: "dev",
      raw: () => withKey(exampleConfig("dev"), "homelab:talosVersion", "v1.10.2"),
      expect: [/^homelab:talosVersion = "v1\.10\.2": expected a Talos v1\.9\.x release/],
    },
    {
      name: "a Kubernetes version outside the v1.32 line",
      stack: "prod",
      raw: () => withKey(exampleConfig("prod"), "homelab:kubernetesVersion", "v1.33.0"),
      expect: [/^homelab:kubernetesVersion = "v1\.33\.0": expected a Kubernetes v1\.32\.x release/],
    },
    {
      name: "a paid OCI shape",
      stack: "cloud",
      raw: () => editObject<{ instances: { shape?: string }[] }>(exampleConfig("cloud"), "homelab:oci", (o) => (o.instances[1]!.shape = "VM.Standard.E4.Flex")),
      expect: [/^homelab:oci\.instances\[1\]\.shape = "VM\.Standard\.E4\.Flex": expected an Always Free shape/],
    },
    {
      name: "more OCPUs on one instance than Always Free has",
      stack: "cloud",
      raw: () => editObject<{ instances: { ocpus: number }[] }>(exampleConfig("cloud"), "homelab:oci", (o) => (o.instances[0]!.ocpus = 6)),
      expect: [/^homelab:oci\.instances\[0\]\.ocpus = 6: expected at most 4 OCPUs/],
    },
    {
      name: "an SSH key line whose key is not an OpenSSH key (the runner's admin could never log in to register it)",
      stack: "prod",
      raw: () => editObject<{ adminSshKey: string }>(exampleConfig("prod"), "homelab:runner", (r) => (r.adminSshKey = "ssh-rsa notakey admin@laptop")),
      expect: [/^homelab:runner\.adminSshKey = "ssh-rsa notakey admin@laptop": expected an OpenSSH public key line/],
    },
    {
      name: "an unknown key (typo)",
      stack: "cloud",
      raw: () => withKey(exampleConfig("cloud"), "homelab:domian", "example.com"),
      expect: [/^homelab:domian = "example\.com": unknown key, did you mean homelab:domain\?; fix: pulumi config rm homelab:domian, then pulumi config set homelab:domain <value>$/],
    },
    {
      name: "a key of another stack",
      stack: "dev",
      raw: () => withKey(exampleConfig("dev"), "homelab:gaming", { enabled: true }),
      expect: [/^homelab:gaming = .*: read by the prod stack, not by "dev"; fix: pulumi config rm homelab:gaming/],
    },
    {
      name: "an unknown field inside an object",
      stack: "prod",
      raw: () => editObject<Record<string, unknown>>(exampleConfig("prod"), "homelab:proxmox", (o) => (o.ramGb = 64)),
      expect: [/^homelab:proxmox\.ramGb = 64: unknown key/],
    },
    {
      name: "a Proxmox endpoint that is not the API URL",
      stack: "prod",
      raw: () => withKey(exampleConfig("prod"), "proxmoxve:endpoint", "http://192.0.2.10"),
      expect: [/^proxmoxve:endpoint = "http:\/\/192\.0\.2\.10": expected the Proxmox API URL/],
    },
    {
      name: "a GPU PCI address in the wrong form",
      stack: "prod",
      raw: () => editObject<{ gpuPciId: string }>(exampleConfig("prod"), "homelab:gaming", (o) => (o.gpuPciId = "01:00.0")),
      expect: [/^homelab:gaming\.gpuPciId = "01:00\.0": expected a PCI address/],
    },
    {
      name: "a subnet outside its VCN",
      stack: "cloud",
      raw: () => editObject<{ subnetCidr: string }>(exampleConfig("cloud"), "homelab:oci", (o) => (o.subnetCidr = "10.99.1.0/24")),
      expect: [/^homelab:oci\.subnetCidr = "10\.99\.1\.0\/24": not inside homelab:oci\.vcnCidr "10\.20\.0\.0\/16"/],
    },
    {
      name: "two management VMs",
      stack: "cloud",
      raw: () => editObject<{ instances: { role: string }[] }>(exampleConfig("cloud"), "homelab:oci", (o) => (o.instances[1]!.role = "mgmt")),
      expect: [/^homelab:oci\.instances: expected exactly one instance with role "mgmt"/],
    },
    {
      name: "a Proxmox host address outside the LAN",
      stack: "dev",
      raw: () => editObject<{ address: string }>(exampleConfig("dev"), "homelab:proxmox", (o) => (o.address = "198.51.100.7")),
      expect: [/^homelab:proxmox\.address = "198\.51\.100\.7": not inside homelab:proxmox\.lanCidr/],
    },
    {
      name: "AdGuard's LAN address on the Gateway's",
      stack: "prod",
      raw: () => editObject<{ lan: { dnsIp: string } }>(exampleConfig("prod"), "homelab:platform", (p) => (p.lan.dnsIp = "192.0.2.225")),
      expect: [/^homelab:platform\.lan\.dnsIp = "192\.0\.2\.225": the same as homelab:platform\.lan\.gatewayIp; .*fix: /],
    },
    {
      name: "a LAN address LB-IPAM cannot assign (outside the pool)",
      stack: "prod",
      raw: () => editObject<{ lan: { gatewayIp: string; dnsIp: string } }>(exampleConfig("prod"), "homelab:platform", (p) => ((p.lan.gatewayIp = "192.0.2.1"), (p.lan.dnsIp = "10.0.0.5"))),
      expect: [
        /^homelab:platform\.lan\.gatewayIp = "192\.0\.2\.1": not inside homelab:platform\.lan\.loadBalancerPool "192\.0\.2\.224\/28"; .*<pending>; fix: /,
        /^homelab:platform\.lan\.dnsIp = "10\.0\.0\.5": not inside homelab:platform\.lan\.loadBalancerPool/,
      ],
    },
    {
      name: "a load-balancer pool off the LAN or over the Proxmox host",
      stack: "dev",
      raw: () => editObject<{ lan: { loadBalancerPool: string; gatewayIp: string } }>(exampleConfig("dev"), "homelab:platform", (p) => (p.lan.loadBalancerPool = "10.9.0.0/28")),
      expect: [/^homelab:platform\.lan\.loadBalancerPool = "10\.9\.0\.0\/28": not inside homelab:proxmox\.lanCidr "192\.0\.2\.0\/24"/],
    },
    {
      name: "a load-balancer pool that holds the Proxmox host's address",
      stack: "prod",
      raw: () => editObject<{ lan: { loadBalancerPool: string } }>(exampleConfig("prod"), "homelab:platform", (p) => (p.lan.loadBalancerPool = "192.0.2.0/24")),
      expect: [/^homelab:platform\.lan\.loadBalancerPool = "192\.0\.2\.0\/24": contains the Proxmox host's address 192\.0\.2\.10 \(homelab:proxmox\.address\)/],
    },
    {
      name: "a malformed stack reference",
      stack: "prod",
      raw: () => withKey(exampleConfig("prod"), "homelab:cloudStack", "cloud"),
      expect: [/^homelab:cloudStack = "cloud": expected "<organization>\/<project>\/cloud"/],
    },
    {
      name: "a stack name the program does not know",
      stack: "staging" as StackName,
      raw: () => exampleConfig("dev"),
      expect: [/^stack name "staging" is not one of cloud, prod, dev/],
    },
  ];

  for (const c of invalid) {
    it(`rejects ${c.name}, naming the key`, () => {
      const problems = problemsOf(c.stack, c.raw());
      for (const pattern of c.expect) {
        assert.ok(problems.some((p) => pattern.test(p)), `no problem matches ${pattern}:\n${problems.join("\n")}`);
      }
    });
  }

  it("never echoes key material: a private key pasted where a public key belongs stays hidden", () => {
    const pasted = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----";
    const runner = editObject<{ adminSshKey: string }>(exampleConfig("prod"), "homelab:runner", (r) => (r.adminSshKey = pasted));
    const cloud = withKey(exampleConfig("cloud"), "homelab:sshPublicKey", pasted);
    for (const [stack, raw, key] of [["prod", runner, "homelab:runner.adminSshKey"], ["cloud", cloud, "homelab:sshPublicKey"]] as const) {
      const problems = problemsOf(stack, raw);
      // One line (the schema's own complaint about the same value is not repeated), naming what the key expects.
      assert.deepEqual(problems, [
        `${key} = [hidden: looks like a private key]: a credential in plain config is stored in Git and printed by every tool; fix: ${key.includes(".") ? `pulumi config rm --path '${key}'` : `pulumi config rm ${key}`}, rotate it, and set what this key expects (expected an OpenSSH public key line (ssh-ed25519 AAAA… comment), the content of your key's .pub file)`,
      ]);
    }
  });

  it("says how to set a missing secret, once, as a secret, and names a missing object's fields", () => {
    assert.deepEqual(problemsOf("cloud", withoutKey(exampleConfig("cloud"), "homelab:acmeDnsApiToken")), [
      "homelab:acmeDnsApiToken = (missing): is required but missing; fix: pulumi config set --secret homelab:acmeDnsApiToken <value>",
    ]);
    assert.deepEqual(problemsOf("cloud", withoutKey(exampleConfig("cloud"), "homelab:twingate")), [
      "homelab:twingate = (missing): is required but missing; fix: pulumi config set --path 'homelab:twingate.network' <value> (its required fields: network; see the example Pulumi.cloud.yaml)",
    ]);
    assert.deepEqual(problemsOf("prod", editObject<Record<string, unknown>>(exampleConfig("prod"), "homelab:runner", (r) => delete r.repository)), [
      "homelab:runner.repository = (missing): is required but missing; expected the GitHub repository as owner/repo; fix: pulumi config set --path 'homelab:runner.repository' <value>",
    ]);
  });

  it("reports every problem at once, one line each", () => {
    let raw = withKey(exampleConfig("cloud"), "homelab:domain", "not a domain");
    raw = withKey(raw, "cloudflare:apiToken", "plain");
    raw = withKey(raw, "homelab:typo", "x");
    const problems = problemsOf("cloud", raw);
    assert.ok(problems.length >= 3, problems.join("\n"));
    assert.ok(problems.every((p) => !p.includes("\n")));
  });

  it("never prints a secret's value, nor a plain value under a secret-like key", () => {
    let raw = withKey(exampleConfig("cloud"), "homelab:domain", "Super_Secret_Value", true);
    raw = withKey(raw, "homelab:authentikBootstrapToken", "plain-token-value");
    const problems = problemsOf("cloud", raw).join("\n");
    assert.match(problems, /homelab:domain = \[secret\]/);
    assert.ok(!problems.includes("Super_Secret_Value"), problems);
    assert.ok(!problems.includes("plain-token-value"), problems);
  });
});

describe("config that names catalog apps (issue 15)", () => {
  it("refuses a USB device path that leaves /dev, and a device listed twice, naming the entry", () => {
    const usb = (devices: unknown[]): string[] => {
      try {
        loadStackConfig("prod", withKey(exampleConfig("prod"), "homelab:usbDevices", devices));
        return [];
      } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return [...error.problems];
      }
    };
    const stick = { app: "home-assistant", id: "10c4:ea60", path: "/dev/ttyUSB0" };
    assert.deepEqual(usb([stick]), []);
    assert.deepEqual(usb([{ ...stick, path: "/dev/serial/by-id/usb-Silicon_Labs_CP2102N-if00-port0" }]), []);
    for (const path of ["/dev/../etc/shadow", "/dev/..", "/dev/./ttyUSB0", "/dev//ttyUSB0", "/dev/"]) {
      const problems = usb([{ ...stick, path }]);
      assert.equal(problems.length, 1, `${path}: ${problems.join(" | ")}`);
      assert.match(problems[0]!, /^homelab:usbDevices\[0\]\.path = .*no \. or \.\. segment/);
    }
    assert.deepEqual(usb([stick, { ...stick, path: "/dev/ttyACM0" }]).length, 1);
    assert.match(usb([stick, { ...stick, path: "/dev/ttyACM0" }])[0]!, /^homelab:usbDevices\[1\]\.id = .*the same id as homelab:usbDevices\[0\] \(the Proxmox mapping .*; fix: list each device once/);
    assert.match(usb([stick, { ...stick, id: "1a86:7523" }])[0]!, /^homelab:usbDevices\[1\]\.path = .*the same path as homelab:usbDevices\[0\]/);
  });


  it("refuses a USB device for an app that does not run on PROD, and Comet without one reserved egress IP, naming the key", () => {
    // The config check runs these rules with the others (before any resource): the same lines.
    assert.deepEqual(problemsOf("prod", withKey(exampleConfig("prod"), "homelab:usbDevices", [{ app: "immich", id: "10c4:ea60", path: "/dev/ttyUSB0" }])), [
      'homelab:usbDevices[0].app = "immich": no catalog app of that name runs on PROD; fix: name the app that uses the device (e.g. home-assistant)',
    ]);
    // AdGuard runs on PROD as an app-template app, but nothing would pass a stick into it: before
    // takesUsbDevices this planned clean and mapped the stick to the VM for no container.
    assert.deepEqual(problemsOf("prod", withKey(exampleConfig("prod"), "homelab:usbDevices", [{ app: "adguard-home", id: "10c4:ea60", path: "/dev/ttyUSB0" }])), [
      'homelab:usbDevices[0].app = "adguard-home": that app takes no USB device (its record has no takesUsbDevices), so the stick would be mapped to the VM and reach no container; fix: name home-assistant or remove the entry',
    ]);
    const cloud = problemsOf("cloud", editObject<{ instances: { reservedPublicIp?: boolean }[] }>(exampleConfig("cloud"), "homelab:oci", (o) => o.instances.forEach((i) => (i.reservedPublicIp = false))));
    assert.match(cloud[0]!, /^homelab:oci\.instances: comet must leave from one stable public IP \(FR-014\), so exactly one talos instance needs reservedPublicIp: true \(found 0\)/);
    assert.equal(loadStackConfig("cloud", exampleConfig("cloud")).stack, "cloud");
  });
});
