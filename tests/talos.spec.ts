import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { stableUuid } from "../lib/proxmox/vm-args";
import { clusterDocuments, clusterTemplate, basePatches } from "../lib/talos/cluster-template";
import { patchCompanionProblems } from "../lib/talos/companions";
import { kubeconfigRotationProblems, kubeconfigScript, rotationWindow, serviceAccountKubeconfig } from "../lib/talos/omnictl";
import { exampleOmniDocuments } from "../tooling/omni-documents";
import { omniTemplateProblems, talosPatchProblems, type OmniTemplateDoc } from "../lib/talos/omni";
import { factoryImageUrl, schematicFor, schematicId, schematicYaml } from "../lib/talos/schematic";
import { versions } from "../lib/versions";
import { exampleConfig, examplePlan, plan, withKey } from "./helpers";

const join = "siderolink.api=https://omni-siderolink.example.com?jointoken=abc&grpc_tunnel=true talos.events.sink=[fdae:41e4:649b:9303::1]:8090 talos.logging.kernel=tcp://[fdae:41e4:649b:9303::1]:8092";

describe("Talos Image Factory schematics", () => {
  it("reproduces the factory's documented ID of the empty schematic", () => {
    assert.equal(schematicYaml({ customization: {} }), "customization: {}\n");
    assert.equal(schematicId({ customization: {} }), "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba");
  });
  it("reproduces the well-known ID of the qemu-guest-agent schematic (yaml.v3 layout: 4-space indent, indented lists)", () => {
    const schematic = { customization: { systemExtensions: { officialExtensions: ["siderolabs/qemu-guest-agent"] } } };
    assert.equal(schematicYaml(schematic), "customization:\n    systemExtensions:\n        officialExtensions:\n            - siderolabs/qemu-guest-agent\n");
    assert.equal(schematicId(schematic), "ce4c980550dd2ab1b17bbf2b08801c7eb59418eafe8f279833297925d67c7515");
  });
  it("puts kernel arguments before extensions, keeps their order, and adds Longhorn's tools only where Longhorn runs", () => {
    const longhorn = schematicFor("proxmox-longhorn", join);
    assert.deepEqual(longhorn.customization.extraKernelArgs, join.split(" "));
    assert.deepEqual(longhorn.customization.systemExtensions?.officialExtensions, ["siderolabs/iscsi-tools", "siderolabs/qemu-guest-agent", "siderolabs/util-linux-tools"]);
    assert.match(schematicYaml(longhorn), /^customization:\n {4}extraKernelArgs:\n {8}- siderolink\.api=https:\/\/omni-siderolink/);
    assert.equal(schematicFor("oracle", join).customization.systemExtensions, undefined);
    assert.notEqual(schematicId(schematicFor("proxmox", join)), schematicId(schematicFor("proxmox", join.replace("abc", "abd"))));
  });
  it("refuses a value whose YAML quoting it would have to guess, rather than compute a wrong ID", () => {
    assert.throws(() => schematicYaml({ customization: { extraKernelArgs: ["console=ttyS0 quiet"] } }), /needs YAML quoting/);
    assert.throws(() => schematicYaml({ customization: { extraKernelArgs: ["true"] } }), /needs YAML quoting/);
  });
  it("builds factory URLs for the Proxmox ISO and the Oracle image", () => {
    const id = schematicId(schematicFor("proxmox", join));
    assert.equal(factoryImageUrl(id, versions.talos, "nocloud-amd64.iso"), `https://factory.talos.dev/image/${id}/${versions.talos}/nocloud-amd64.iso`);
    assert.throws(() => factoryImageUrl("abc", versions.talos, "nocloud-amd64.iso"), /not 64 hex/);
  });
});

describe("Omni cluster templates", () => {
  const prod = {
    name: "prod" as const,
    talosVersion: "v1.9.6",
    kubernetesVersion: "v1.32.3",
    controlPlane: [stableUuid("prod-cp-1")],
    workers: [stableUuid("prod-worker-1")],
    schedulesOnControlPlane: false,
    proxmox: true,
    longhornWorkers: true,
    localPathVolumes: false,
  };
  const traits = {
    dev: { schedulesOnControlPlane: true, longhornWorkers: false, localPathVolumes: true },
    prod: { schedulesOnControlPlane: false, longhornWorkers: true, localPathVolumes: false },
    cloud: { schedulesOnControlPlane: true, longhornWorkers: false, localPathVolumes: true },
  };

  it("renders DEV single-node, PROD control plane + worker with Longhorn, CLOUD two nodes, all without default CNI and kube-proxy", () => {
    const kinds = (docs: OmniTemplateDoc[]) => docs.map((d) => d.kind);
    assert.deepEqual(kinds(clusterDocuments({ ...prod, ...traits.dev, name: "dev", workers: [] })), ["Cluster", "ControlPlane"]);
    assert.deepEqual(kinds(clusterDocuments(prod)), ["Cluster", "ControlPlane", "Workers"]);
    const [cluster, , workers] = clusterDocuments(prod) as [OmniTemplateDoc & { patches: { name: string; inline: unknown }[] }, OmniTemplateDoc, OmniTemplateDoc & { patches: { name: string }[] }];
    assert.deepEqual(cluster.patches.find((p) => p.name === "cilium-ready")!.inline, {
      cluster: { network: { cni: { name: "none" } }, proxy: { disabled: true } },
      machine: { features: { kubePrism: { enabled: true, port: 7445 } } },
    });
    assert.deepEqual(workers.patches.map((p) => p.name), ["longhorn-mounts"]);
    assert.ok(basePatches(traits.dev).some((p) => p.name === "schedule-on-control-plane"));
    assert.ok(!basePatches(traits.prod).some((p) => p.name === "schedule-on-control-plane"));
  });

  it("validates every patch the program renders against the upstream Talos v1.9 schema", () => {
    for (const cluster of ["dev", "prod", "cloud"] as const) {
      for (const patch of basePatches(traits[cluster])) assert.deepEqual(talosPatchProblems(patch.patch, patch.name), [], `${cluster}/${patch.name}`);
    }
  });

  it("pairs kubelet certificate rotation with the pinned serving-certificate approver, and refuses it alone or from a branch", () => {
    const patches = basePatches(traits.prod);
    const approver = patches.find((p) => p.name === "kubelet-serving-cert-approver")!;
    assert.deepEqual(approver.patch, { cluster: { extraManifests: [`https://raw.githubusercontent.com/alex1989hu/kubelet-serving-cert-approver/${versions.kubeletServingCertApprover}/deploy/standalone-install.yaml`] } });
    assert.deepEqual(patchCompanionProblems(patches), []);
    assert.deepEqual(patchCompanionProblems(patches.filter((p) => p !== approver)), [
      'patch "kubelet-certificates" turns on rotate-server-certificates, but no patch applies kubelet-serving-cert-approver (cluster.extraManifests at a release tag): the kubelets\' serving CSRs would stay Pending and kubectl logs/exec would fail',
    ]);
    const floating = { ...approver, patch: { cluster: { extraManifests: ["https://raw.githubusercontent.com/alex1989hu/kubelet-serving-cert-approver/main/deploy/standalone-install.yaml"] } } };
    const problems = patchCompanionProblems([...patches.filter((p) => p !== approver), floating]);
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[1]!, /follows a branch; pin a release tag/);
  });

  it("rejects a bad Talos patch with its place and the schema's reason", () => {
    const bad = { name: "typo", target: "cluster" as const, patch: { machine: { kubelet: { extraMountz: [] } }, cluster: { proxy: { disabled: "yes" } } } };
    assert.throws(() => clusterTemplate({ ...prod, extraPatches: [bad] }), (error: Error) => {
      assert.match(error.message, /cluster template "prod" is invalid; nothing was applied/);
      assert.match(error.message, /patches\[3\] "typo": \/machine\/kubelet must NOT have additional properties \("extraMountz"\)/);
      assert.match(error.message, /\/cluster\/proxy\/disabled must be boolean/);
      return true;
    });
  });

  it("rejects fields Omni's template models do not have, and machine sets with both machines and a class", () => {
    const docs = clusterDocuments(prod) as unknown as Record<string, unknown>[];
    const broken = [{ ...docs[0], kubernetes: { version: "v1.32.3", vesion: "x" } }, { ...docs[1], machineClass: { name: "control-plane", size: 1 } }, { ...docs[2], replicas: 2 }];
    const problems = omniTemplateProblems(broken as unknown as OmniTemplateDoc[]);
    assert.ok(problems.some((p) => /Cluster\)\.kubernetes: unknown field "vesion"/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /can not have both machines and machine class/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /\(Workers\): unknown field "replicas"/.test(p)), problems.join("\n"));
    assert.deepEqual(omniTemplateProblems(clusterDocuments(prod)), []);
  });

  it("keeps omni/ in the repository equal to what the program renders from the example configs", () => {
    for (const [path, text] of Object.entries(exampleOmniDocuments())) {
      assert.equal(readFileSync(path, "utf8"), text, `${path} is stale: run npm run omni:render`);
      for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, [], path);
    }
  });

  it("names each Proxmox VM in its template by the SMBIOS UUID the VM gets", async () => {
    const prodPlan = await examplePlan("prod");
    const cp = prodPlan.resources.find((r) => r.name === "prod-cp-1")!;
    const template = prodPlan.resources.find((r) => r.name === "prod-template")!;
    assert.equal(template.inputs.stdin, readFileSync("omni/clusters/prod.yaml", "utf8").replace(/^#.*\n/, ""));
    assert.ok(String(template.inputs.stdin).includes((cp.inputs.smbios as { uuid: string }).uuid));
    const kubeconfig = prodPlan.resources.find((r) => r.name === "prod-kubeconfig")!;
    assert.match(String(kubeconfig.inputs.create), /omnictl kubeconfig --service-account --cluster prod/);
    // The service-account key makes the whole environment secret; the kubeconfig is never logged.
    assert.equal(kubeconfig.inputs.environment, "[secret]");
    assert.equal(kubeconfig.inputs.logging, "stderr");
  });

  it("mints the service-account kubeconfig with an explicit 90-day TTL and again in every 30-day window", async () => {
    const prodPlan = await examplePlan("prod");
    const kubeconfig = prodPlan.resources.find((r) => r.name === "prod-kubeconfig")!;
    assert.match(String(kubeconfig.inputs.create), /--ttl 2160h /);
    assert.deepEqual(kubeconfig.inputs.triggers, [rotationWindow(new Date())]);
    assert.deepEqual(kubeconfigRotationProblems(String(kubeconfig.inputs.create), kubeconfig.inputs.triggers as unknown[]), []);
    const start = rotationWindow(new Date("2026-12-01T10:00:00Z"), 30);
    const day = (iso: string, days: number) => new Date(new Date(`${iso}T00:00:00Z`).getTime() + days * 86_400_000);
    assert.equal(rotationWindow(day(start, 29.9), 30), start);
    assert.notEqual(rotationWindow(day(start, 30), 30), start);
    assert.ok(serviceAccountKubeconfig.ttlDays - serviceAccountKubeconfig.rotateEveryDays >= 30, "a monthly deployment keeps a valid kubeconfig");
  });

  it("the rotation check fails on the kubeconfig of before this issue: omnictl's 365-day default, minted once", () => {
    const old = 'omnictl kubeconfig --service-account --cluster prod --user pulumi-prod --force "$kubeconfig" >/dev/null';
    assert.deepEqual(kubeconfigRotationProblems(old, []), [
      "omnictl kubeconfig has no --ttl: it gets omnictl's default of 365 days and expires unnoticed",
      "the kubeconfig is minted once and never again: give its command a rotation window among its triggers",
    ]);
    assert.match(kubeconfigRotationProblems(kubeconfigScript("prod", "pulumi-prod", 3650), ["2026-11-28"])[0]!, /lives 3650 days, more than the 180 allowed/);
  });

  it("fails the plan on a bad patch in config, naming the key, before any resource", async () => {
    const raw = withKey(exampleConfig("dev"), "homelab:talosPatches", [{ name: "bad", target: "cluster", patch: { cluster: { network: { cni: { name: 42 } } } } }]);
    const devPlan = (await plan(["dev"], { dev: raw })).stacks.find((s) => s.stack === "dev");
    assert.equal(devPlan!.ok, false);
    assert.deepEqual(devPlan!.resources, []);
    assert.ok(devPlan!.configErrors.some((e) => /homelab:talosPatches\[0\] \("bad"\): \/cluster\/network\/cni\/name must be equal to one of the allowed values/.test(e)), devPlan!.configErrors.join("\n"));
  });
});
