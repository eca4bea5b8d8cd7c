/**
 * The program: validates the catalog, the rosters and the whole stack config first, then
 * composes that stack's components. The inventory (catalog and rosters) is a parameter, so that a
 * spec can plan a catalog with one more app through the same path as `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { backupConfigProblems } from "../lib/backup/report";
import { catalogProblems } from "../lib/catalog";
import { catalogReferenceProblems } from "../lib/config/catalog-references";
import { ConfigError, loadStackConfig } from "../lib/config";
import { defaultInventory, type Inventory } from "../lib/inventory";
import { rosterProblems, rosterSizeProblems } from "../lib/machines";
import { cloudStack } from "./cloud";
import { devStack, prodStack } from "./home";
import { readRuntimeConfig } from "./runtime-config";

export type Outputs = Record<string, pulumi.Input<unknown>>;

/** The program function Pulumi runs, with the inventory it was built from (the offline plan reads it for the budgets). */
export interface HomelabProgram {
  (): Promise<Outputs>;
  readonly inventory: Inventory;
}

export function createProgram(inventory: Inventory = defaultInventory): HomelabProgram {
  const program = async (): Promise<Outputs> => {
    const problems = [...catalogProblems(inventory.apps), ...rosterProblems(inventory.rosters)];
    if (problems.length > 0) throw new ConfigError(pulumi.getStack(), problems);
    const loaded = loadStackConfig(pulumi.getStack(), readRuntimeConfig());
    const sizeProblems =
      loaded.stack === "prod"
        ? [...rosterSizeProblems("prod", inventory.rosters, loaded.config["homelab:vms"], "homelab:vms"), ...rosterSizeProblems("dev", inventory.rosters, loaded.config["homelab:devVms"], "homelab:devVms")]
        : loaded.stack === "dev"
          ? rosterSizeProblems("dev", inventory.rosters, loaded.config["homelab:vms"], "homelab:vms")
          : [];
    // Bulk data must say where its copy goes before anything is created.
    const stackProblems = [...sizeProblems, ...backupConfigProblems(loaded, inventory.apps)];
    if (stackProblems.length > 0) throw new ConfigError(loaded.stack, stackProblems);
    const references = catalogReferenceProblems(loaded, inventory.apps);
    if (references.length > 0) throw new ConfigError(loaded.stack, references);
    switch (loaded.stack) {
      case "cloud":
        return cloudStack(loaded.config, inventory);
      case "prod":
        return prodStack(loaded.config, inventory);
      case "dev":
        return devStack(loaded.config, inventory);
    }
  };
  return Object.assign(program, { inventory });
}
