/**
 * Plans stacks offline: config → program under mocks → policies → budgets. The home stacks'
 * StackReference is answered with the cloud stack's own mocked outputs, so `cloud` is always
 * run first (and silently when it was not asked for).
 */
import { evaluatePolicies, type PolicyResourceView, type Violation } from "../../policies/rules";
import { types } from "../../policies/types";
import { stackBackupReport, type BackupReport } from "../../lib/backup/report";
import { keptClasses } from "../../lib/backup/classes";
import { unhonouredFields, type UnhonouredField } from "../../lib/catalog/checks";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, crossStackProblems, loadStackConfig, stackNames, stackSchemas, type DevConfig, type ProdConfig, type RawConfig, type StackConfig, type StackName } from "../../lib/config";
import { credentialRedactor, credentialsIn } from "../../lib/credentials";
import { defaultInventory, inventoryProblems, type Inventory } from "../../lib/inventory";
import { exportedPaths, hypervisorSettings } from "../../lib/hypervisor/settings";
import { nfsExportProblems, nfsMountsOfResources } from "../../lib/platform/nfs-mounts";
import { budgetViolations, stackBudgets, type Budgets } from "./budgets";
import { runStack, type PlannedResource, type StackRun } from "./run";
import { readStackFile, StackFileError } from "./stack-file";
import type { StackReferenceAnswer } from "./mocks";

export interface StackPlan {
  stack: string;
  ok: boolean;
  configErrors: string[];
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  violations: Violation[];
  budgets: Budgets;
  /** What the stack backs up, where and how often (absent when the config is invalid). */
  backups?: BackupReport;
}

export interface PlanResult {
  ok: boolean;
  stacks: StackPlan[];
  /** Catalog fields the program does not act on yet, with the apps that set them. */
  unhonoured: UnhonouredField[];
  /** Credentials found in the configs read (never printed: the reports replace each occurrence). */
  credentials: readonly string[];
}

/** The program (index.ts's export); its inventory, when it carries one, feeds the budgets. */
export type Program = (() => Promise<Record<string, unknown>>) & { inventory?: Inventory };

export interface PlanOptions {
  stacks: readonly StackName[];
  /** The program (index.ts's export). */
  program: Program;
  /** Config per stack; by default read from Pulumi.<stack>.yaml in `directory`. */
  configs?: Partial<Record<StackName, RawConfig>>;
  directory?: string;
}

/** The resources as the policies see them, plus the stack's outputs as the root resource. */
export function policyView(run: Pick<StackRun, "resources" | "outputs" | "stack">): PolicyResourceView[] {
  return [
    ...run.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, dependencies: r.dependencies })),
    { type: types.stack, name: `stack outputs (${run.stack})`, urn: `urn:pulumi:${run.stack}::homelab::${types.stack}::outputs`, props: run.outputs },
  ];
}

function failedPlan(stack: string, configErrors: string[]): StackPlan {
  return { stack, ok: false, configErrors, resources: [], outputs: {}, violations: [], budgets: {} };
}

/** Strips the property chain Pulumi prefixes to an error raised while serializing a resource's inputs. */
function rootMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^(error serializing property "[^"]*": )+/, "").split("\n")[0]!;
}

/**
 * The lines a failed run reports: a config or catalog error's problems, a RunError's sentence
 * (the program's own words for a known situation), or the first line of anything else. Never a
 * stack trace.
 */
export function failureLines(error: unknown): string[] {
  if (error instanceof ConfigError || error instanceof StackFileError) return [...error.problems];
  if (error !== null && typeof error === "object" && Array.isArray((error as { problems?: unknown }).problems)) return [...(error as { problems: string[] }).problems];
  if (pulumi.RunError.isInstance(error)) return [rootMessage(error)];
  return [`the program failed: ${rootMessage(error)} (a bug rather than a config problem: run with HOMELAB_DEBUG=1 for the stack trace, and please report it)`];
}

/** Every credential-looking string of a stack's config, and every secret, so that no output can carry one. */
function credentialsOf(stack: StackName, raw: RawConfig): string[] {
  const known = Object.keys(stackSchemas[stack].shape);
  const found: string[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    if (entry.secret) {
      found.push(entry.value);
      continue;
    }
    let value: unknown = entry.value;
    try {
      value = JSON.parse(entry.value);
    } catch {
      // a plain string
    }
    found.push(...credentialsIn(value, { key, unknown: !known.includes(key) || key === "homelab:talosPatches" }));
  }
  return found;
}

export async function planStacks(options: PlanOptions): Promise<PlanResult> {
  // Each stack file is read once: the cloud pass also looks at the home stacks' reference.
  const raws = new Map<StackName, RawConfig>();
  const configFor = (stack: StackName): RawConfig => {
    const cached = raws.get(stack);
    if (cached) return cached;
    const raw = options.configs?.[stack] ?? readStackFile(stack, options.directory);
    raws.set(stack, raw);
    return raw;
  };
  const order = stackNames.filter((s) => s === "cloud" || options.stacks.includes(s));
  const stackReferences: Record<string, StackReferenceAnswer> = {};
  const plans: StackPlan[] = [];
  const inventory = options.program.inventory ?? defaultInventory;
  const loadedStacks = new Map<StackName, StackConfig>();
  const credentials: string[] = [];

  for (const stack of order) {
    let raw: RawConfig;
    let loaded: StackConfig;
    try {
      raw = configFor(stack);
      credentials.push(...credentialsOf(stack, raw));
      loaded = loadStackConfig(stack, raw, inventory);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof StackFileError) {
        plans.push(failedPlan(stack, failureLines(error)));
        continue;
      }
      throw error;
    }
    // A home stack reads the cloud stack's outputs: when the cloud stack could not be planned,
    // say so once here and leave its problems to its own section, after the ones the program
    // would find in the catalog and rosters before this stack's resources.
    const cloud = plans.find((p) => p.stack === "cloud");
    if (stack !== "cloud" && (!cloud || cloud.configErrors.length > 0)) {
      const own = inventoryProblems(inventory);
      if (own.length > 0) {
        plans.push(failedPlan(stack, own));
        continue;
      }
      const ref = String(raw["homelab:cloudStack"]?.value ?? "");
      plans.push(
        failedPlan(stack, [
          `homelab:cloudStack = "${ref}": this stack reads the cloud stack's outputs, and the cloud stack could not be planned (its problems are listed under stack cloud); fix: correct the cloud stack's config first, then plan again`,
        ]),
      );
      loadedStacks.set(stack, loaded);
      continue;
    }
    let run: StackRun;
    try {
      run = await runStack({ stack, config: raw, stackReferences, program: options.program });
    } catch (error) {
      plans.push(failedPlan(stack, failureLines(error)));
      continue;
    }
    if (stack === "cloud") {
      const answer = { outputs: run.rawOutputs, secretOutputNames: run.secretOutputNames };
      // The home stacks name the cloud stack by its fully qualified name.
      for (const home of ["prod", "dev"] as const) {
        const ref = tryRead(() => configFor(home))?.["homelab:cloudStack"]?.value;
        if (ref) stackReferences[ref] = answer;
      }
    }
    loadedStacks.set(stack, loaded);
    const view = policyView(run);
    const budgets = stackBudgets(loaded, view, inventory);
    const violations = [...evaluatePolicies(view, { secretsVisible: true, apps: inventory.apps }), ...budgetViolations(budgets)];
    plans.push({
      stack,
      ok: !violations.some((v) => v.level === "mandatory"),
      configErrors: [],
      resources: run.resources,
      outputs: run.outputs,
      violations,
      budgets,
      backups: stackBackupReport(loaded, inventory.apps),
    });
  }
  const prodPlan = plans.find((p) => p.stack === "prod");
  const prod = loadedStacks.get("prod");
  const dev = loadedStacks.get("dev");
  if (prodPlan && prod && dev) {
    const mismatch = devSizeMismatch(prod.config as ProdConfig, dev.config as DevConfig);
    const shared = crossStackProblems(prod.config as ProdConfig, dev.config as DevConfig).map(
      (message): Violation => ({ policy: "cross-stack", level: "mandatory", resource: "stack", message }),
    );
    for (const violation of [...(mismatch ? [mismatch] : []), ...shared]) {
      prodPlan.violations.push(violation);
      prodPlan.ok = false;
    }
  }
  if (prod) {
    for (const plan of plans) {
      const loaded = loadedStacks.get(plan.stack as StackName);
      if (!loaded) continue;
      for (const problem of nfsExportViolations(loaded.stack, plan.resources, prod.config as ProdConfig, inventory)) {
        plan.violations.push({ policy: "nfs-exports", level: "mandatory", resource: "stack", message: problem });
        plan.ok = false;
      }
    }
  }
  const stacks = plans.filter((p) => options.stacks.includes(p.stack as StackName));
  // A broken cloud stack breaks the home stacks' reference too: report it even when not asked.
  const cloud = plans.find((p) => p.stack === "cloud");
  if (cloud && !cloud.ok && !options.stacks.includes("cloud")) stacks.unshift(cloud);
  return { ok: stacks.every((s) => s.ok), stacks, unhonoured: unhonouredFields(inventory.apps), credentials };
}

/**
 * The prod stack counts the DEV VMs in the host budget from its own `homelab:devVms`; when both
 * stacks are planned together (CI's `--stack all`), those sizes must be the dev stack's.
 */
function devSizeMismatch(prod: ProdConfig, dev: DevConfig): Violation | undefined {
  const counted = prod["homelab:devVms"];
  const actual = dev["homelab:vms"];
  const show = (v: { cores: number; memoryGb: number; diskGb: number } | undefined) => (v ? `${v.cores} vCPU / ${v.memoryGb} GB / ${v.diskGb} GB` : "none");
  const differing = [...new Set([...Object.keys(counted), ...Object.keys(actual)])].filter((key) => show(counted[key]) !== show(actual[key]));
  if (differing.length === 0) return undefined;
  return {
    policy: "capacity-budget",
    level: "mandatory",
    resource: "stack",
    message: `homelab:devVms in the prod stack is not the dev stack's homelab:vms (${differing.map((key) => `${key}: ${show(counted[key])} counted, ${show(actual[key])} in dev`).join("; ")}); the host budget would count the wrong DEV VMs: make them equal`,
  };
}

/**
 * Every NFS mount of a stack's cluster against what the Proxmox host exports (the prod stack
 * owns the host): a path it does not export, or another server (CLOUD must mount the address its
 * Twingate resource publishes, which is the host's), never becomes ready.
 */
function nfsExportViolations(stack: StackName, resources: readonly PlannedResource[], prod: ProdConfig, inventory: Inventory): string[] {
  const host = prod["homelab:proxmox"];
  const exports = { server: host.address, paths: exportedPaths(hypervisorSettings(prod, inventory.apps)) };
  return nfsExportProblems(stack, nfsMountsOfResources(resources), exports);
}

function tryRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Text report

function tree(resources: readonly PlannedResource[]): string[] {
  const children = new Map<string, PlannedResource[]>();
  const known = new Set(resources.map((r) => r.urn));
  const roots: PlannedResource[] = [];
  for (const r of resources) {
    if (known.has(r.parent)) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    else roots.push(r);
  }
  const lines: string[] = [];
  const visit = (list: readonly PlannedResource[], depth: number) => {
    for (const child of list) {
      lines.push(`${"  ".repeat(depth)}${child.custom ? "-" : "+"} ${child.name}  (${child.type})`);
      visit(children.get(child.urn) ?? [], depth + 1);
    }
  };
  visit(roots, 1);
  return lines;
}

export function formatPlan(result: PlanResult): string {
  const out: string[] = [];
  for (const plan of result.stacks) {
    out.push(`=== stack ${plan.stack}: ${plan.ok ? "clean" : "FAILED"} ===`);
    if (plan.configErrors.length > 0) {
      out.push("not planned (nothing was created):", ...plan.configErrors.map((p) => `  - ${p}`), "");
      continue;
    }
    out.push(`resources (${plan.resources.length}):`, `  homelab-${plan.stack}  (pulumi:pulumi:Stack)`, ...tree(plan.resources));
    const counts = new Map<string, number>();
    for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    out.push("counts by type:", ...[...counts.entries()].sort().map(([type, n]) => `  ${String(n).padStart(3)}  ${type}`));
    out.push("budgets:");
    for (const [name, line] of Object.entries(plan.budgets)) {
      const over = line.used > line.limit;
      out.push(`  ${name.padEnd(22)} ${String(line.used).padStart(6)} / ${line.limit} ${line.unit}${over ? (line.enforced ? "  OVER" : "  (over, allowed)") : ""}${line.note ? `  — ${line.note}` : ""}`);
    }
    if (plan.backups) out.push(...formatBackups(plan.backups));
    out.push(`stack outputs: ${Object.keys(plan.outputs).join(", ") || "(none)"}`);
    if (plan.violations.length === 0) out.push("policy violations: none");
    else out.push("policy violations:", ...plan.violations.map((v) => `  [${v.level}] ${v.policy}: ${v.resource}: ${v.message}`));
    out.push("");
  }
  if (result.unhonoured.length > 0) {
    out.push("catalog fields not yet honoured (accepted, but nothing acts on them):");
    for (const field of result.unhonoured) out.push(`  - ${field.field}: ${field.why}; apps: ${field.apps.join(", ")}`);
    out.push("");
  }
  out.push(result.ok ? "plan: clean" : "plan: FAILED (see above)");
  return credentialRedactor(result.credentials)(out.join("\n"));
}

/** The backups section: per class, how often and how long, then each item with its tool and destination. */
function formatBackups(report: BackupReport): string[] {
  const out = ["backups (class: what → tool → where):"];
  for (const backupClass of keptClasses) {
    const rows = report.rows.filter((r) => r.backupClass === backupClass);
    if (rows.length === 0) continue;
    out.push(`  ${backupClass}: ${report.classes[backupClass]}`);
    for (const row of rows) out.push(`    - ${row.what} → ${row.tool} → ${row.destination}${row.storedGb > 0 ? ` (~${row.storedGb} GB stored)` : ""}`);
  }
  if (report.notBackedUp.length > 0) out.push(`  not backed up: ${report.notBackedUp.join("; ")}`);
  return out;
}

/** The JSON document of `npm run plan -- --json`. */
export function planJson(result: PlanResult): unknown {
  const redact = credentialRedactor(result.credentials);
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return redact(value);
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  return scrub({
    ok: result.ok,
    unhonoured: result.unhonoured,
    stacks: result.stacks.map((p) => ({
      stack: p.stack,
      ok: p.ok,
      configErrors: p.configErrors,
      resources: p.resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent, inputs: r.inputs })),
      outputs: p.outputs,
      violations: p.violations,
      budgets: p.budgets,
      backups: p.backups,
    })),
  });
}
