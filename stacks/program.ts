/**
 * The program: validates the catalog, the rosters and the whole stack config first, then
 * composes that stack's components. The inventory (catalog and rosters) is a parameter, so that a
 * spec can plan a catalog with one more app through the same path as `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadStackConfig } from "../lib/config";
import { defaultInventory, inventoryProblems, type Inventory } from "../lib/inventory";
import { cloudStack } from "./cloud";
import { devStack, prodStack } from "./home";
import { readRuntimeConfig } from "./runtime-config";

export type Outputs = Record<string, pulumi.Input<unknown>>;

/**
 * A config problem as `pulumi up` prints it: Pulumi shows a RunError's message alone, without
 * the stack trace it prints for any other error. `problems` keeps the lines for the offline plan.
 */
export class ProgramConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[], message: string) {
    super(message);
    this.name = "ProgramConfigError";
  }
}

/** The program function Pulumi runs, with the inventory it was built from (the offline plan reads it for the budgets). */
export interface HomelabProgram {
  (): Promise<Outputs>;
  readonly inventory: Inventory;
}

export function createProgram(inventory: Inventory = defaultInventory): HomelabProgram {
  const program = async (): Promise<Outputs> => {
    const problems = inventoryProblems(inventory);
    if (problems.length > 0) throw asRunError(new ConfigError(pulumi.getStack(), problems));
    let loaded;
    try {
      loaded = loadStackConfig(pulumi.getStack(), readRuntimeConfig(), inventory);
    } catch (error) {
      throw asRunError(error);
    }
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

function asRunError(error: unknown): unknown {
  return error instanceof ConfigError ? new ProgramConfigError(error.problems, error.message) : error;
}
