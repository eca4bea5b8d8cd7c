import { createHash } from "node:crypto";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { runnerCloudInit, userDataSnippet, userDataSnippetScript, type RunnerSettings } from "../../lib/ci-runner/cloud-init";
import { machineArgs, type ProxmoxHostFacts } from "../../lib/proxmox/vm-args";
import { versions } from "../../lib/versions";

export interface CiRunnerArgs {
  host: ProxmoxHostFacts & { /** Directory storage for the cloud image and the snippet (`local`). */ isoDatastore: string };
  /** SSH to the host (the snippet is a file there), as the hypervisor's scripts use it. */
  ssh: { host: string; user: string; privateKey: pulumi.Input<string> };
  vm: { name: string; vmId: number; size: { cores: number; memoryGb: number; diskGb: number } };
  settings: Omit<RunnerSettings, "name">;
  description: pulumi.Input<string>;
}

/**
 * The CI runner VM on the Proxmox host (issue 13, stories 3.5.2–3.5.3): a Debian cloud image with
 * the pinned actions/runner, registered once by the admin, long-polling GitHub (no inbound port),
 * accepting only this repository's deployment workflows from main (lib/ci-runner). It is the
 * machine CI deploys dev and prod from, so CI never replaces it: it is protected, and changes to
 * its first-boot data are ignored (from the laptop: `pulumi state unprotect`, then `up --replace`).
 */
export class CiRunner extends pulumi.ComponentResource {
  readonly vmId: pulumi.Output<number>;
  /** sha256 of the runner's cloud-init: changes when a re-creation would install something else. */
  readonly userDataDigest: string;

  constructor(name: string, args: CiRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:ci:Runner", name, {}, opts);
    const userData = runnerCloudInit({ ...args.settings, name: args.vm.name });
    this.userDataDigest = createHash("sha256").update(userData).digest("hex");

    const image = new proxmox.download.File(`${name}-debian-image`, {
      nodeName: args.host.nodeName,
      datastoreId: args.host.isoDatastore,
      // A qcow2 under an .img name in the ISO store: the VM imports it as its disk (bpg's cloud-image guide).
      contentType: "iso",
      url: `https://cloud.debian.org/images/cloud/bookworm/${versions.debianCloudImage}/debian-12-generic-amd64-${versions.debianCloudImage}.qcow2`,
      fileName: `debian-12-generic-amd64-${versions.debianCloudImage}.img`,
      checksum: versions.debianCloudImageSha512,
      checksumAlgorithm: "sha512",
      overwrite: false,
    }, { parent: this });

    const script = userDataSnippetScript(args.host.isoDatastore, args.vm.name, userData);
    const snippet = new command.remote.Command(`${name}-user-data`, {
      connection: { host: args.ssh.host, user: args.ssh.user, privateKey: args.ssh.privateKey },
      create: "bash -s",
      update: "bash -s",
      stdin: script,
      triggers: [createHash("sha256").update(script).digest("hex")],
    }, { parent: this });

    const vm = new proxmox.VmLegacy(args.vm.name, {
      ...machineArgs(
        {
          name: args.vm.name,
          vmId: args.vm.vmId,
          kind: "runner",
          size: args.vm.size,
          tags: ["ci", "runner"],
          cloudImage: { fileId: image.id, userDataFileId: userDataSnippet(args.host.isoDatastore, args.vm.name).fileId },
        },
        args.host,
      ),
      description: args.description,
    }, {
      parent: this,
      dependsOn: [snippet],
      // CI runs on this VM: a change must never make CI delete the machine it runs on.
      protect: true,
      ignoreChanges: ["initialization", "disks[0].fileId"],
    });
    this.vmId = vm.vmId.apply((id) => id ?? args.vm.vmId);
    this.registerOutputs({ vmId: this.vmId, userDataDigest: this.userDataDigest });
  }
}
