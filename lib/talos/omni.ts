/**
 * Omni cluster templates (multi-document YAML for `omnictl cluster template sync`) and the
 * MachineClass resources (for `omnictl apply`), rendered from typed documents.
 *
 * Omni publishes no JSON schema for templates. The accepted fields below are those of the
 * template models in siderolabs/omni, client/pkg/template/internal/models (cluster.go:
 * Cluster, KubernetesCluster, TalosCluster, Features, BackupConfiguration; machineset.go:
 * MachineSet, MachineClassConfig, UpdateStrategyConfig, RollingUpdateStrategyConfig;
 * patch.go: Patch; models.go: Meta, SystemExtensions, Descriptors; kernelargs.go), which
 * omnictl decodes with unknown fields rejected. The program uses only fields present since
 * Omni v0.3x; the list is the current models' so that a typo fails here as it would there.
 */
import { stringify } from "yaml";
import { labels } from "../markers";
import { assertMatchesSchema, SchemaValidationError } from "../validate/schemas";
import type { NamedPatch, TalosPatch } from "./patches";

export interface OmniPatchDoc {
  name: string;
  inline: TalosPatch;
}
export interface OmniClusterDoc {
  kind: "Cluster";
  name: string;
  kubernetes: { version: string };
  talos: { version: string };
  features?: { enableWorkloadProxy?: boolean; diskEncryption?: boolean; useEmbeddedDiscoveryService?: boolean; backupConfiguration?: { interval: string } };
  systemExtensions?: string[];
  patches?: OmniPatchDoc[];
}
export interface OmniMachineSetDoc {
  kind: "ControlPlane" | "Workers";
  name?: string;
  /** Omni machine ids (the machines' SMBIOS UUIDs). */
  machines?: string[];
  machineClass?: { name: string; size: number | "unlimited" };
  updateStrategy?: { type?: "Rolling" | "Unset"; rolling?: { maxParallelism: number } };
  systemExtensions?: string[];
  patches?: OmniPatchDoc[];
}
export type OmniTemplateDoc = OmniClusterDoc | OmniMachineSetDoc;

/** Accepted keys per model, from the Omni sources named above. */
const descriptorKeys = ["labels", "annotations"];
const allowed: Record<string, readonly string[]> = {
  Cluster: ["kind", "systemExtensions", "name", ...descriptorKeys, "kubernetes", "talos", "features", "patches", "kernelArgs"],
  MachineSet: ["kind", "systemExtensions", "name", ...descriptorKeys, "bootstrapSpec", "machines", "machineClass", "updateStrategy", "deleteStrategy", "patches"],
  kubernetes: ["version"],
  talos: ["version"],
  features: ["diskEncryption", "enableWorkloadProxy", "useEmbeddedDiscoveryService", "backupConfiguration"],
  backupConfiguration: ["interval"],
  machineClass: ["name", "size"],
  updateStrategy: ["type", "rolling"],
  rolling: ["maxParallelism"],
  bootstrapSpec: ["clusterUUID", "snapshot"],
  patch: ["name", "idOverride", ...descriptorKeys, "file", "inline"],
};

function unknownKeys(value: unknown, model: string, where: string, problems: string[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!allowed[model]!.includes(key)) problems.push(`${where}: unknown field "${key}" (Omni's ${model} model accepts ${allowed[model]!.join(", ")})`);
  }
}

const talosSchema = "talos/v1.9/config.schema.json";

/** Problems of one Talos patch against the upstream v1.9 schema; empty when valid. */
export function talosPatchProblems(patch: unknown, where: string): string[] {
  try {
    assertMatchesSchema(where, patch, talosSchema, { definition: "v1alpha1.Config" });
    return [];
  } catch (error) {
    if (error instanceof SchemaValidationError) return error.issues.map((i) => `${where}: ${i.path || "/"} ${i.message}`);
    throw error;
  }
}

/** Everything omnictl would refuse in a template, plus each patch checked against the Talos schema. */
export function omniTemplateProblems(docs: readonly OmniTemplateDoc[]): string[] {
  const problems: string[] = [];
  const clusters = docs.filter((d): d is OmniClusterDoc => d.kind === "Cluster");
  if (clusters.length !== 1) problems.push(`template: expected exactly one Cluster document, found ${clusters.length}`);
  if (docs.filter((d) => d.kind === "ControlPlane").length !== 1) problems.push("template: expected exactly one ControlPlane document");
  for (const [i, doc] of docs.entries()) {
    const where = `template document ${i + 1} (${doc.kind})`;
    if (doc.kind === "Cluster") {
      unknownKeys(doc, "Cluster", where, problems);
      unknownKeys(doc.kubernetes, "kubernetes", `${where}.kubernetes`, problems);
      unknownKeys(doc.talos, "talos", `${where}.talos`, problems);
      unknownKeys(doc.features, "features", `${where}.features`, problems);
      unknownKeys(doc.features?.backupConfiguration, "backupConfiguration", `${where}.features.backupConfiguration`, problems);
      if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(doc.name)) problems.push(`${where}: cluster name "${doc.name}" must be a DNS label`);
      // Omni's ClusterValidator requires the "v" prefix on the Talos version in templates.
      if (!/^v\d+\.\d+\.\d+$/.test(doc.talos.version)) problems.push(`${where}: talos.version "${doc.talos.version}" must look like v1.9.6`);
      if (!/^v?\d+\.\d+\.\d+$/.test(doc.kubernetes.version)) problems.push(`${where}: kubernetes.version "${doc.kubernetes.version}" must look like v1.32.3`);
    } else {
      unknownKeys(doc, "MachineSet", where, problems);
      unknownKeys(doc.machineClass, "machineClass", `${where}.machineClass`, problems);
      unknownKeys(doc.updateStrategy, "updateStrategy", `${where}.updateStrategy`, problems);
      unknownKeys(doc.updateStrategy?.rolling, "rolling", `${where}.updateStrategy.rolling`, problems);
      if ((doc.machines?.length ?? 0) > 0 && doc.machineClass) problems.push(`${where}: machine set can not have both machines and machine class defined`);
      if (doc.kind === "Workers" && doc.name === "control-planes") problems.push(`${where}: name "control-planes" cannot be used in workers`);
      for (const id of doc.machines ?? []) {
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) problems.push(`${where}: machine id "${id}" is not a UUID`);
      }
    }
    for (const [j, patch] of (doc.patches ?? []).entries()) {
      unknownKeys(patch, "patch", `${where}.patches[${j}]`, problems);
      if (!patch.name) problems.push(`${where}.patches[${j}]: either name or idOverride is required for inline patches`);
      problems.push(...talosPatchProblems(patch.inline, `${where}.patches[${j}] "${patch.name}"`));
    }
  }
  return problems;
}

export function renderTemplate(docs: readonly OmniTemplateDoc[]): string {
  return docs.map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
}

/** The patches of a target, as template patch documents. */
export function patchesFor(target: NamedPatch["target"], patches: readonly NamedPatch[]): OmniPatchDoc[] {
  return patches.filter((p) => p.target === target).map((p) => ({ name: p.name, inline: p.patch }));
}

// ---------------------------------------------------------------------------------------------
// MachineClasses (story 1.3.4): resources, not template documents

export interface MachineClassDoc {
  metadata: { namespace: "default"; type: "MachineClasses.omni.sidero.dev"; id: string };
  spec: { matchlabels: string[] };
}


/** control-plane, worker and gpu-worker (for the future GPU node): selected by role label. */
export function machineClasses(): MachineClassDoc[] {
  return ["control-plane", "worker", "gpu-worker"].map((id) => ({
    metadata: { namespace: "default", type: "MachineClasses.omni.sidero.dev", id },
    spec: { matchlabels: [`${labels.machineRole} = ${id}`] },
  }));
}
