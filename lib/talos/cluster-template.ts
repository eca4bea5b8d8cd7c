/**
 * The three Talos clusters as Omni cluster templates: DEV (one node), PROD (control plane +
 * worker with Longhorn), CLOUD (two A1 nodes, the first also schedules workloads). Machines are
 * named by their Omni machine id, which for the Proxmox VMs is the SMBIOS UUID the program sets.
 * What a template holds follows from the cluster's roster and apps (lib/talos/cluster-specs.ts).
 */
import type { ClusterName } from "../catalog/types";
import { extensionsByRole } from "./schematic";
import { ciliumReady, kubeletCertificates, kubeletServingCertApprover, localPathMounts, longhornMounts, scheduleOnControlPlane, type NamedPatch } from "./patches";
import { patchCompanionProblems } from "./companions";
import { omniTemplateProblems, patchesFor, renderTemplate, type OmniTemplateDoc } from "./omni";

export interface ClusterSpec {
  name: ClusterName;
  talosVersion: string;
  kubernetesVersion: string;
  /** Omni machine ids of the control plane. */
  controlPlane: readonly string[];
  /** Omni machine ids of the workers (none on DEV). */
  workers: readonly string[];
  /** Workloads run on the control planes too (single-node DEV, CLOUD's first node). */
  schedulesOnControlPlane: boolean;
  /** The machines are Proxmox VMs (the guest agent in every image). */
  proxmox: boolean;
  /** The workers hold Longhorn volumes (iSCSI and util-linux tools, the data mount). */
  longhornWorkers: boolean;
  /** local-path provisions volumes on every node that schedules pods (its data directory mounted into the kubelet). */
  localPathVolumes: boolean;
  /** Extra patches from config (`homelab:talosPatches`), after the program's own. */
  extraPatches?: readonly NamedPatch[];
}

export type ClusterTraits = Pick<ClusterSpec, "schedulesOnControlPlane" | "longhornWorkers" | "localPathVolumes">;

/** The program's own patches for a cluster with these traits. */
export function basePatches(traits: ClusterTraits): NamedPatch[] {
  const patches: NamedPatch[] = [
    { name: "cilium-ready", target: "cluster", patch: ciliumReady },
    { name: "kubelet-certificates", target: "cluster", patch: kubeletCertificates },
    { name: "kubelet-serving-cert-approver", target: "cluster", patch: kubeletServingCertApprover },
  ];
  if (traits.schedulesOnControlPlane) patches.push({ name: "schedule-on-control-plane", target: "cluster", patch: scheduleOnControlPlane });
  if (traits.longhornWorkers) patches.push({ name: "longhorn-mounts", target: "workers", patch: longhornMounts });
  if (traits.localPathVolumes) patches.push({ name: "local-path-mounts", target: "cluster", patch: localPathMounts });
  return patches;
}

export function clusterDocuments(spec: ClusterSpec): OmniTemplateDoc[] {
  const patches = [...basePatches(spec), ...(spec.extraPatches ?? [])];
  const home = spec.proxmox;
  const docs: OmniTemplateDoc[] = [
    {
      kind: "Cluster",
      name: spec.name,
      kubernetes: { version: spec.kubernetesVersion },
      talos: { version: spec.talosVersion },
      ...(home ? { systemExtensions: [...extensionsByRole.proxmox] } : {}),
      patches: patchesFor("cluster", patches),
    },
    { kind: "ControlPlane", machines: [...spec.controlPlane], patches: patchesFor("control-plane", patches) },
  ];
  if (spec.workers.length > 0) {
    docs.push({
      kind: "Workers",
      machines: [...spec.workers],
      ...(spec.longhornWorkers ? { systemExtensions: [...extensionsByRole["proxmox-longhorn"]] } : {}),
      // One worker at a time, so that Longhorn keeps its replicas during upgrades.
      updateStrategy: { type: "Rolling", rolling: { maxParallelism: 1 } },
      patches: patchesFor("workers", patches),
    });
  }
  return docs.map((doc) => (doc.patches?.length === 0 ? withoutPatches(doc) : doc));
}

function withoutPatches(doc: OmniTemplateDoc): OmniTemplateDoc {
  const copy = { ...doc };
  delete copy.patches;
  return copy;
}

/** The template text, or an error listing every problem (unknown field, bad patch) with its place. */
export function clusterTemplate(spec: ClusterSpec): string {
  const docs = clusterDocuments(spec);
  const problems = [...omniTemplateProblems(docs), ...patchCompanionProblems([...basePatches(spec), ...(spec.extraPatches ?? [])])];
  if (problems.length > 0) {
    throw new Error(`cluster template "${spec.name}" is invalid; nothing was applied:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
  return renderTemplate(docs);
}
