/**
 * The cloud stack's rules across keys: instance shapes that boot the images the program uses,
 * the management VM big enough for its Compose limits, the subnet inside the VCN, machine ids
 * and bucket names without collisions, and rotation counters that name generated secrets.
 */
import { alwaysFreeLimits } from "../always-free";
import { identityEnvNames } from "../identity/authentik";
import type { Inventory } from "../inventory";
import { memoryLimitsMiB } from "../management-vm/documents";
import { ociBuckets } from "../oci/buckets";
import { twingateGenerationKeys } from "../twingate/nfs-path";
import { closest, keyPath, rmCommand } from "./messages";
import { parseIpv4, rangeContains, rangeOf } from "./net";
import type { CloudConfig } from "./load";

/** What Ubuntu, Docker and the host agents take on the management VM besides the Compose services. */
export const mgmtOsReserveMiB = 512;

function instanceProblems(cloud: CloudConfig): string[] {
  const problems: string[] = [];
  const oci = cloud["homelab:oci"];
  const names = new Set<string>();
  oci.instances.forEach((instance, i) => {
    const at = `homelab:oci.instances[${i}]`;
    if (names.has(instance.name)) problems.push(`${at}.name = "${instance.name}": used twice; fix: give each instance its own name`);
    names.add(instance.name);
    if (instance.shape === alwaysFreeLimits.microShape) {
      const image = instance.role === "talos" ? "boots the arm64 Talos image" : "runs the Ubuntu image looked up for A1 (arm64)";
      problems.push(
        `${at}.shape = "${instance.shape}": an x86 shape, but the ${instance.role} role ${image}; fix: pulumi config set --path '${at}.shape' ${alwaysFreeLimits.a1Shape} (the default)`,
      );
    } else if (instance.memoryGb < instance.ocpus || instance.memoryGb > instance.ocpus * 64) {
      problems.push(`${at}.memoryGb = ${instance.memoryGb}: ${alwaysFreeLimits.a1Shape} takes 1 to 64 GB per OCPU (${instance.ocpus} OCPU here); fix: pulumi config set --path '${at}.memoryGb' <${instance.ocpus}–${instance.ocpus * 64}>`);
    }
  });

  return problems;
}

function mgmtProblems(cloud: CloudConfig): string[] {
  const problems: string[] = [];
  const oci = cloud["homelab:oci"];
  const mgmt = oci.instances.map((instance, i) => ({ instance, i })).filter(({ instance }) => instance.role === "mgmt");
  if (mgmt.length !== 1) problems.push(`homelab:oci.instances: expected exactly one instance with role "mgmt" (it runs Omni, Authentik and cloudflared), found ${mgmt.length}; fix: set role "mgmt" on one instance`);
  const composeMiB = Object.values(memoryLimitsMiB).reduce((sum, n) => sum + n, 0);
  for (const { instance, i } of mgmt) {
    if (instance.memoryGb * 1024 < composeMiB + mgmtOsReserveMiB) {
      const needGb = Math.ceil((composeMiB + mgmtOsReserveMiB) / 1024);
      problems.push(
        `homelab:oci.instances[${i}].memoryGb = ${instance.memoryGb}: the management VM's Compose services may use ${composeMiB} MiB together (lib/management-vm/documents.ts) and the OS needs ~${mgmtOsReserveMiB} MiB more; fix: pulumi config set --path 'homelab:oci.instances[${i}].memoryGb' ${needGb} (or more)`,
      );
    }
  }

  return problems;
}

function networkProblems(cloud: CloudConfig): string[] {
  const problems: string[] = [];
  const oci = cloud["homelab:oci"];
  const vcn = rangeOf(oci.vcnCidr);
  if (!rangeContains(vcn, rangeOf(oci.subnetCidr))) {
    problems.push(`homelab:oci.subnetCidr = "${oci.subnetCidr}": not inside homelab:oci.vcnCidr "${oci.vcnCidr}"; fix: pick a subnet of the VCN range`);
  }
  const nfs = cloud["homelab:platform"].nfsServer;
  if (rangeContains(vcn, parseIpv4(nfs)!)) {
    problems.push(`homelab:platform.nfsServer = "${nfs}": inside homelab:oci.vcnCidr "${oci.vcnCidr}", so the CLOUD nodes would route it into the VCN instead of through Twingate; fix: give the VCN a range the home network does not use`);
  }

  return problems;
}

function machineIdProblems(cloud: CloudConfig): string[] {
  const problems: string[] = [];
  const oci = cloud["homelab:oci"];
  const ids = cloud["homelab:cloudMachineIds"];
  if (ids) {
    const seen = new Set<string>();
    [ids.controlPlane, ...ids.workers].forEach((id, j) => {
      const at = j === 0 ? "homelab:cloudMachineIds.controlPlane" : `homelab:cloudMachineIds.workers[${j - 1}]`;
      if (seen.has(id)) problems.push(`${at} = "${id}": the same machine id twice in the cluster template; fix: each A1 node has its own id (Omni → Machines)`);
      seen.add(id);
    });
    const talosNodes = oci.instances.filter((instance) => instance.role === "talos").length;
    if (seen.size > talosNodes) {
      problems.push(`homelab:cloudMachineIds: names ${seen.size} machines, but homelab:oci.instances has ${talosNodes} with role "talos"; fix: list only the ids of the A1 nodes that exist`);
    }
  }

  return problems;
}

function bucketProblems(cloud: CloudConfig): string[] {
  const problems: string[] = [];
  const bucket = cloud["homelab:backup"].bucketName;
  if (Object.values(ociBuckets).includes(bucket as never)) {
    problems.push(`homelab:backup.bucketName = "${bucket}": the program creates a bucket of that name for another purpose (lib/oci/buckets.ts); fix: pulumi config set --path 'homelab:backup.bucketName' homelab-backups`);
  }

  return problems;
}

function generationProblems(cloud: CloudConfig, inventory: Inventory): string[] {
  const problems: string[] = [];
  // The identity layer's secrets and the Twingate credentials (components/twingate) rotate by these names.
  const generated = [...identityEnvNames(cloud["homelab:domain"], inventory.apps), ...Object.values(twingateGenerationKeys)];
  for (const name of Object.keys(cloud["homelab:secretGenerations"])) {
    if (!generated.includes(name)) {
      const path = ["homelab:secretGenerations", name];
      const hint = closest(name, generated);
      problems.push(
        hint
          ? `${keyPath(path)}: the program generates no secret of that name, did you mean ${hint}?; fix: ${rmCommand(path)}, then pulumi config set --path '${keyPath(["homelab:secretGenerations", hint])}' ${cloud["homelab:secretGenerations"][name]}`
          : `${keyPath(path)}: the program generates no secret of that name; fix: ${rmCommand(path)} (the names are: ${generated.join(", ")})`,
      );
    }
  }
  return problems;
}

/** The cloud stack's rules, each reading only the keys it names. */
export const cloudRules: readonly ((cloud: CloudConfig, inventory: Inventory) => string[])[] = [
  instanceProblems,
  mgmtProblems,
  networkProblems,
  machineIdProblems,
  bucketProblems,
  generationProblems,
];
