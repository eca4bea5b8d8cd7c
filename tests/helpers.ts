/** Shared fixtures: the example stack configs, config edits, and policy resources. */
import { strict as assert } from "node:assert";
import { ConfigError, loadStackConfig, type CloudConfig, type DevConfig, type ProdConfig, type RawConfig, type StackName } from "../lib/config";
import { defaultInventory, type Inventory } from "../lib/inventory";
import { clusterContext, type ClusterContext } from "../lib/platform/cluster-context";
import { preparePlatform, type PreparedPlatform } from "../lib/platform/prepare";
import { planStacks, type PlanResult, type StackPlan } from "../tooling/plan/plan";
import { readStackFile } from "../tooling/plan/stack-file";
import type { PolicyResourceView } from "../policies/rules";
import program from "../index";

export function exampleConfig(stack: StackName): RawConfig {
  return readStackFile(stack);
}

/** A copy of `raw` with `key` set to a plain (or secret) value; objects are given as JS values. */
export function withKey(raw: RawConfig, key: string, value: unknown, secret = false): RawConfig {
  return { ...raw, [key]: { value: typeof value === "string" ? value : JSON.stringify(value), secret } };
}

export function withoutKey(raw: RawConfig, key: string): RawConfig {
  const copy = { ...raw };
  delete copy[key];
  return copy;
}

/** A copy of the JSON object under `key` changed by `edit`. */
export function editObject<T>(raw: RawConfig, key: string, edit: (value: T) => void): RawConfig {
  const entry = raw[key];
  if (!entry) throw new Error(`fixture has no ${key}`);
  const value = JSON.parse(entry.value) as T;
  edit(value);
  return { ...raw, [key]: { value: JSON.stringify(value), secret: entry.secret } };
}

export function plan(stacks: StackName[], configs: Partial<Record<StackName, RawConfig>> = {}): Promise<PlanResult> {
  return planStacks({ stacks, program, configs });
}

const examplePlans = new Map<StackName, Promise<StackPlan>>();
/** The plan of one stack on its example config, computed once for all the specs that read it. */
export function examplePlan(stack: StackName): Promise<StackPlan> {
  let cached = examplePlans.get(stack);
  if (!cached) {
    cached = plan([stack]).then((result) => {
      const found = result.stacks.find((s) => s.stack === stack);
      if (!found) throw new Error(`no plan for ${stack}`);
      return found;
    });
    examplePlans.set(stack, cached);
  }
  return cached;
}

let counter = 0;
export function res(type: string, props: Record<string, unknown>, name = `r${++counter}`): PolicyResourceView {
  return { type, name, urn: `urn:pulumi:test::homelab::${type}::${name}`, props };
}

/** The backup target the specs give a cluster (the cloud stack's outputs in a real run). */
export const exampleBackup = { s3Endpoint: "https://ns.compat.objectstorage.eu-paris-1.oraclecloud.com", bucket: "homelab-backups", region: "eu-paris-1", bucketUrl: "s3://homelab-backups" };

/** A cluster's context from its stack's config (the example, or `raw`) and the inventory. */
export function exampleContext(cluster: StackName, raw: RawConfig = exampleConfig(cluster), inventory: Inventory = defaultInventory): ClusterContext {
  const config = loadStackConfig(cluster, raw).config as CloudConfig | ProdConfig | DevConfig;
  // The home stacks read the Twingate network from the cloud stack; the example's is this one.
  const twingateNetwork = cluster === "cloud" ? undefined : "example-homelab";
  return clusterContext({ cluster, config, backup: exampleBackup, apps: inventory.apps, rosters: inventory.rosters, ...(twingateNetwork ? { twingateNetwork } : {}) });
}

/** A cluster's platform as the program renders it. */
export function preparedPlatform(cluster: StackName, raw?: RawConfig, inventory?: Inventory): PreparedPlatform {
  return preparePlatform(exampleContext(cluster, raw, inventory));
}

/** The problems loadStackConfig reports for a raw config; fails the spec when the config is accepted. */
export function configProblems(stack: StackName, raw: RawConfig): string[] {
  try {
    loadStackConfig(stack, raw);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("the config was accepted");
}
