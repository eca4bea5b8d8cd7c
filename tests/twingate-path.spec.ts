/** Issue 13, path 2: CLOUD pods reading the home NFS through Twingate, as code, as values, as waves, as exports. */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadStackConfig, type ProdConfig } from "../lib/config";
import { exportedPaths, hypervisorSettings } from "../lib/hypervisor/settings";
import { apps } from "../lib/catalog";
import { labels } from "../lib/markers";
import { nfsExportProblems, nfsMounts, nfsMountsOfResources } from "../lib/platform/nfs-mounts";
import { validateKubernetesObject, type KubernetesObject } from "../lib/validate/kubernetes";
import { repoRoot } from "../lib/validate/schemas";
import { syncWaves, noPublicIngress, type PolicyResourceView } from "../policies/rules";
import { types } from "../policies/types";
import { editObject, exampleConfig, examplePlan, plan, preparedPlatform, res, withKey } from "./helpers";

const appOf = (cluster: "cloud" | "prod", name: string) => preparedPlatform(cluster).applications.find((a) => a.app.name === name)!;

describe("path 2: the Twingate side as code (cloud stack)", () => {
  it("creates the home remote network, the PROD connector with its own token pair, the NFS resource and the CLOUD service account", async () => {
    const cloud = await examplePlan("cloud");
    const of = (type: string) => cloud.resources.filter((r) => r.type === type);
    assert.deepEqual(of("twingate:index/twingateRemoteNetwork:TwingateRemoteNetwork").map((r) => r.inputs), [{ name: "homelab home", location: "ON_PREMISE" }]);
    assert.equal(of("twingate:index/twingateConnector:TwingateConnector").length, 1);
    assert.equal(of("twingate:index/twingateConnectorTokens:TwingateConnectorTokens").length, 1);
    const [resource] = of(types.twingateResource);
    assert.equal(resource!.inputs.address, "192.0.2.10");
    assert.deepEqual(resource!.inputs.protocols, { allowIcmp: false, tcp: { policy: "RESTRICTED", ports: ["2049"] }, udp: { policy: "DENY_ALL" } });
    assert.equal((resource!.inputs.accessServices as unknown[]).length, 1);
    assert.equal(resource!.inputs.accessGroups, undefined);
    assert.equal(resource!.inputs.isVisible, false);
    assert.deepEqual(of("twingate:index/twingateServiceAccountKey:TwingateServiceAccountKey").map((r) => r.inputs.expirationTime), [0]);
    // The provider takes the network name from config, never a literal.
    assert.equal(of("pulumi:providers:twingate")[0]!.inputs.network, "example-homelab");
    // Tokens and key leave only as secrets.
    assert.equal(cloud.outputs.twingateNetwork, "example-homelab");
    assert.equal(cloud.outputs.twingateConnectorAccessToken, "[secret]");
    assert.equal(cloud.outputs.twingateConnectorRefreshToken, "[secret]");
    const clientSecret = cloud.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && (r.inputs.metadata as { name: string }).name === "twingate-client")!;
    assert.equal(clientSecret.inputs.stringData, "[secret]");
  });

  it("rotates the service key by its generation", async () => {
    const raw = withKey(exampleConfig("cloud"), "homelab:secretGenerations", { TWINGATE_SERVICE_KEY: 2 });
    const result = await plan(["cloud"], { cloud: raw });
    const keys = result.stacks[0]!.resources.filter((r) => r.type === "twingate:index/twingateServiceAccountKey:TwingateServiceAccountKey");
    assert.deepEqual(keys.map((k) => [k.name, k.inputs.name]), [["homelab-cloud-nodes-key-2", "cloud-nodes-2"]]);
  });

  it("refuses a name for the NFS server, an address inside the VCN, and a malformed network name, each in one line", () => {
    const base = exampleConfig("cloud");
    const named = editObject<{ nfsServer: string }>(base, "homelab:platform", (p) => (p.nfsServer = "nfs.homelab.internal"));
    assert.throws(() => loadStackConfig("cloud", named), /homelab:platform\.nfsServer.*expected an IPv4 address/);
    const inVcn = editObject<{ nfsServer: string }>(base, "homelab:platform", (p) => (p.nfsServer = "10.20.4.4"));
    assert.throws(() => loadStackConfig("cloud", inVcn), /homelab:platform\.nfsServer = "10\.20\.4\.4": inside homelab:oci\.vcnCidr/);
    // Not a home LAN address: loopback, unspecified, Twingate's own CGNAT range, the internet.
    for (const address of ["127.0.0.1", "0.0.0.0", "100.96.0.10", "8.8.8.8", "169.254.1.1"]) {
      const odd = editObject<{ nfsServer: string }>(base, "homelab:platform", (p) => (p.nfsServer = address));
      assert.throws(() => loadStackConfig("cloud", odd), new RegExp(`homelab:platform\\.nfsServer = "${address.replaceAll(".", "\\.")}": expected the Proxmox host's home LAN address \\(a private IPv4`), address);
    }
    const network = withKey(base, "homelab:twingate", { network: "https://x.twingate.com" });
    assert.throws(() => loadStackConfig("cloud", network), /homelab:twingate\.network.*<name> of https:\/\/<name>\.twingate\.com/);
  });

  it("the policy refuses a Twingate resource one step wider: a network, every TCP port, UDP, ICMP, people", () => {
    const good = { address: "192.0.2.10", protocols: { allowIcmp: false, tcp: { policy: "RESTRICTED", ports: ["2049"] }, udp: { policy: "DENY_ALL" } }, accessServices: [{ serviceAccountId: "sa" }] };
    const found = (props: Record<string, unknown>) => noPublicIngress.check([res(types.twingateResource, props)], { secretsVisible: true }).map((v) => v.message);
    assert.deepEqual(found(good), []);
    assert.match(found({ ...good, address: "192.0.2.0/24" })[0]!, /may reach one IPv4 address, not a network/);
    assert.match(found({ ...good, protocols: { ...good.protocols, tcp: { policy: "ALLOW_ALL" } } })[0]!, /must restrict TCP to named ports/);
    assert.match(found({ ...good, protocols: { ...good.protocols, tcp: { policy: "RESTRICTED", ports: ["2000-3000"] } } })[0]!, /opens the port ranges 2000-3000/);
    assert.match(found({ ...good, protocols: { ...good.protocols, udp: { policy: "ALLOW_ALL" } } })[0]!, /must deny UDP/);
    assert.match(found({ ...good, protocols: { ...good.protocols, allowIcmp: true } })[0]!, /must not allow ICMP/);
    assert.match(found({ ...good, accessGroups: [{ groupId: "everyone" }] })[0]!, /grants groups of people/);
  });

  it("the policy refuses a Twingate resource with any port but NFS's: the host's SSH or Proxmox API would be one name away", () => {
    const good = { address: "192.0.2.10", protocols: { allowIcmp: false, tcp: { policy: "RESTRICTED", ports: ["2049"] }, udp: { policy: "DENY_ALL" } }, accessServices: [{ serviceAccountId: "sa" }] };
    const found = (props: Record<string, unknown>) => noPublicIngress.check([res(types.twingateResource, props)], { secretsVisible: true }).map((v) => v.message);
    assert.deepEqual(found({ ...good, protocols: { ...good.protocols, tcp: { policy: "RESTRICTED", ports: ["2049", "22"] } } }), [
      "Twingate resource opens TCP 22; the home path carries NFSv4 only (TCP 2049, lib/twingate/nfs-path.ts)",
    ]);
    assert.equal(found({ ...good, protocols: { ...good.protocols, tcp: { policy: "RESTRICTED", ports: ["8006"] } } }).length, 1);
    assert.match(found({ ...good, address: "999.1.1.1" })[0]!, /may reach one IPv4 address/);
  });
});

describe("path 2: the connector at home and the client on every CLOUD node", () => {
  it("runs the connector on PROD only, dialling the configured network, with additionalLabels (the chart reads no podLabels)", () => {
    const values = appOf("prod", "twingate-connector").values as { connector: Record<string, unknown>; additionalLabels: Record<string, string> };
    assert.deepEqual(values.connector, { network: "example-homelab", existingSecret: "twingate-connector", logLevel: "info" });
    assert.deepEqual(values.additionalLabels, { [labels.cluster]: "prod", [labels.app]: "twingate-connector" });
    assert.equal(preparedPlatform("cloud").applications.some((a) => a.app.name === "twingate-connector"), false);
    // Every top-level key the program sets is one the chart's values.yaml declares (its top-level
    // keys at Twingate/helm-charts 982112425f, stable/connector/values.yaml; the values schema
    // allows any key, so it cannot tell).
    const chartKeys = ["image", "hostNetwork", "resources", "additionalLabels", "podAnnotations", "nodeSelector", "tolerations", "topologySpreadConstraints", "affinity", "priorityClassName", "env", "icmpSupport", "securityContext", "podSecurityContext", "connector", "readinessProbe", "livenessProbe"];
    const unread = (v: object) => Object.keys(v).filter((key) => !chartKeys.includes(key));
    assert.deepEqual(unread(values), []);
    assert.deepEqual(unread({ ...values, podLabels: {} }), ["podLabels"]);
  });

  it("writes the connector's minted token pair as the chart's existingSecret, on PROD", async () => {
    const prod = await examplePlan("prod");
    const secret = prod.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && (r.inputs.metadata as { name: string }).name === "twingate-connector")!;
    assert.equal((secret.inputs.metadata as { namespace: string }).namespace, "twingate");
    assert.equal(secret.inputs.stringData, "[secret]");
    assert.equal(prod.resources.some((r) => r.type === "kubernetes:external-secrets.io/v1:ExternalSecret" && (r.inputs.metadata as { name: string }).name === "twingate-connector"), false);
  });

  it("runs the headless client as a privileged host-network DaemonSet on CLOUD with the TUN device and the service key file", () => {
    const values = appOf("cloud", "twingate-client").values as {
      defaultPodOptions: Record<string, unknown>;
      controllers: { app: { type: string; containers: { app: { securityContext: unknown; resources: { requests: { cpu: string; memory: string } } } } } };
      persistence: Record<string, Record<string, unknown>>;
      service: Record<string, unknown>;
    };
    assert.equal(values.controllers.app.type, "daemonset");
    assert.equal(values.defaultPodOptions.hostNetwork, true);
    assert.equal(values.defaultPodOptions.dnsPolicy, "ClusterFirstWithHostNet");
    assert.deepEqual(values.defaultPodOptions.tolerations, [{ operator: "Exists" }]);
    assert.deepEqual(values.controllers.app.containers.app.securityContext, { privileged: true });
    assert.deepEqual(values.persistence.tun, { type: "hostPath", hostPath: "/dev/net/tun", hostPathType: "CharDevice", globalMounts: [{ path: "/dev/net/tun" }] });
    assert.deepEqual(values.persistence["twingate-client-service-key-json"]!.globalMounts, [{ path: "/etc/twingate/service_key.json", subPath: "service_key.json", readOnly: true }]);
    assert.deepEqual(values.service, {});
    // The reservation (40m, 128 MiB) is split over the two CLOUD nodes.
    assert.deepEqual(values.controllers.app.containers.app.resources.requests, { cpu: "20m", memory: "64Mi" });
    const ns = preparedPlatform("cloud").namespaces.find((n) => n.metadata.name === "twingate")!;
    assert.equal(ns.metadata.labels!["pod-security.kubernetes.io/enforce"], "privileged");
  });
});

describe("path 2: nothing waits on a path that may be down", () => {
  const awaited = (cluster: "cloud" | "prod") => Object.fromEntries(preparedPlatform(cluster).applications.map((a) => [a.app.name, a.awaitHealth]));

  it("awaits health of everything but CLOUD's home-media apps and the Twingate client", () => {
    const cloud = awaited("cloud");
    assert.deepEqual(Object.entries(cloud).filter(([, v]) => !v).map(([k]) => k).sort(), ["immich", "lidarr", "navidrome", "twingate-client"]);
    assert.ok(Object.values(awaited("prod")).every(Boolean), "a PROD app is not awaited");
  });

  it("in the planned CLOUD graph, nothing depends on them and they wait only for Synced", async () => {
    const cloud = await examplePlan("cloud");
    const applications = cloud.resources.filter((r) => r.type === types.argoApplication);
    const nonBlocking = applications.filter((r) => (r.inputs.metadata as { labels: Record<string, string> }).labels[labels.awaits] === "synced");
    assert.equal(nonBlocking.length, 4);
    for (const app of nonBlocking) {
      assert.deepEqual(JSON.parse((app.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/waitFor"]!), ["jsonpath={.status.sync.status}=Synced"]);
    }
    for (const app of applications) {
      for (const dep of app.dependencies) assert.ok(!nonBlocking.some((n) => n.urn === dep), `${app.name} waits for ${dep}`);
    }
    const view = (r: (typeof applications)[number]): PolicyResourceView => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, dependencies: r.dependencies });
    assert.deepEqual(syncWaves.check(applications.map(view), { secretsVisible: true }), []);
    // One step outside: a wave-2 Application that waits for the client is refused.
    const client = applications.find((a) => a.name === "cloud-app-twingate-client")!;
    const broken = applications.map((a) => (a.name === "cloud-app-external-dns" ? { ...view(a), dependencies: [...a.dependencies, client.urn] } : view(a)));
    assert.ok(syncWaves.check(broken, { secretsVisible: true }).some((v) => /waits for "cloud-app-twingate-client", whose health rests on a path outside the cluster/.test(v.message)));
    // And an unlabelled CLOUD media app that only waits for Synced is refused too.
    const navidrome = applications.find((a) => a.name === "cloud-app-navidrome")!;
    const relabelled = applications.map((a) => (a === navidrome ? { ...view(a), props: { ...a.inputs, metadata: { ...(a.inputs.metadata as object), labels: { ...(a.inputs.metadata as { labels: object }).labels, [labels.awaits]: "healthy" } } } } : view(a)));
    assert.ok(syncWaves.check(relabelled, { secretsVisible: true }).some((v) => /cloud-app-navidrome/.test(v.resource) && /lacks the pulumi.com\/waitFor annotation for Synced and Healthy/.test(v.message)));
  });
});

describe("path 2: every NFS mount and StorageClass is a path the hypervisor exports", () => {
  const prodConfig = loadStackConfig("prod", exampleConfig("prod")).config as ProdConfig;
  const exports = { server: prodConfig["homelab:proxmox"].address, paths: exportedPaths(hypervisorSettings(prodConfig, apps)) };

  it("holds for the three clusters of the example (CLOUD through the Twingate address, which is the host's)", async () => {
    for (const cluster of ["dev", "prod", "cloud"] as const) {
      const mounts = nfsMounts(preparedPlatform(cluster));
      // DEV runs no NFS CSI driver (issue 15: no app there mounts the media, and its 4 GB keep 20 % free without it).
      assert.equal(mounts.some((m) => m.by === "StorageClass nfs-media"), cluster !== "dev", `${cluster}: nfs-media class`);
      assert.deepEqual(nfsExportProblems(cluster, mounts, exports), [], cluster);
    }
    const cloudMounts = nfsMounts(preparedPlatform("cloud")).map((m) => `${m.by} ${m.server}:${m.path}`).sort();
    // The plan reads the same mounts back from what the stack registers.
    const planned = nfsMountsOfResources((await examplePlan("cloud")).resources).map((m) => `${m.by} ${m.server}:${m.path}`).sort();
    assert.deepEqual(planned, cloudMounts);
    assert.deepEqual(cloudMounts, [
      "StorageClass nfs-media 192.0.2.10:/tank/media/volumes",
      "immich 192.0.2.10:/tank/media/photos",
      "lidarr 192.0.2.10:/tank/media/music",
      "navidrome 192.0.2.10:/tank/media/music",
    ]);
  });

  it("names the mount one step outside: the pool's media root (never exported) and another server", () => {
    const mounts = [{ by: "StorageClass nfs-media", server: "192.0.2.10", path: "/tank/media" }, { by: "navidrome", server: "nfs.homelab.internal", path: "/tank/media/music" }];
    assert.deepEqual(nfsExportProblems("cloud", mounts, exports), [
      `cluster cloud: StorageClass nfs-media mounts /tank/media, which the Proxmox host does not export (it exports ${exports.paths.join(", ")}); fix: mount an exported dataset or add it to homelab:hypervisor.zfs.datasets`,
      "cluster cloud: navidrome mounts NFS from nfs.homelab.internal, but the media exports are on 192.0.2.10 (homelab:platform.nfsServer must be the prod stack's homelab:proxmox.address, the Twingate resource's address)",
    ]);
  });

  it("fails the plan when the host stops exporting a mounted dataset, or CLOUD's NFS address is not the host", async () => {
    const noPhotos = editObject<{ zfs: { datasets?: string[] } }>(exampleConfig("prod"), "homelab:hypervisor", (h) => {
      h.zfs.datasets = ["media/films", "media/series", "media/music", "media/audiobooks", "media/books", "media/comics", "media/roms", "media/volumes", "backups"];
    });
    const otherHost = editObject<{ nfsServer: string }>(exampleConfig("cloud"), "homelab:platform", (p) => (p.nfsServer = "192.0.2.11"));
    const result = await plan(["cloud", "prod", "dev"], { prod: noPhotos, cloud: otherHost });
    const cloud = result.stacks.find((s) => s.stack === "cloud")!;
    assert.equal(cloud.ok, false);
    const messages = cloud.violations.filter((v) => v.policy === "nfs-exports").map((v) => v.message);
    assert.ok(messages.some((m) => /immich mounts \/tank\/media\/photos, which the Proxmox host does not export/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /mounts NFS from 192\.0\.2\.11, but the media exports are on 192\.0\.2\.10/.test(m)), messages.join("\n"));
  });
});

describe("path 2: the throughput measurement of docs/network-paths.md (US-011)", () => {
  it("is a valid Job that gives up after 15 minutes and measures on an exported path of the example", () => {
    const doc = readFileSync(join(repoRoot, "docs/network-paths.md"), "utf8");
    const block = /```yaml\n(apiVersion: batch\/v1\nkind: Job[\s\S]*?)```/.exec(doc)![1]!;
    const job = parse(block) as KubernetesObject & { spec: { activeDeadlineSeconds: number; template: { spec: { volumes: { nfs: { server: string; path: string } }[] } } } };
    validateKubernetesObject(job);
    assert.throws(() => validateKubernetesObject({ ...job, spec: { ...job.spec, backoffLimit: "none" } } as unknown as KubernetesObject), /does not match its schema|backoffLimit/);
    assert.equal(job.spec.activeDeadlineSeconds, 900);
    const prodConfig = loadStackConfig("prod", exampleConfig("prod")).config as ProdConfig;
    const exports = { server: prodConfig["homelab:proxmox"].address, paths: exportedPaths(hypervisorSettings(prodConfig, apps)) };
    const mounts = job.spec.template.spec.volumes.map((v) => ({ by: "nfs-throughput", server: v.nfs.server, path: v.nfs.path }));
    assert.deepEqual(nfsExportProblems("cloud", mounts, exports), []);
  });
});
