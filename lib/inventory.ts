/**
 * What the program builds from besides the stack config: the app catalog and the machine rosters.
 * One object, so that a spec can plan a catalog with one more app, or a roster with one more
 * machine, through the same code path as `pulumi up`.
 */
import { apps, catalogProblems } from "./catalog";
import type { AppRecord } from "./catalog/types";
import { homeRosters, rosterProblems, type Rosters } from "./machines";

export interface Inventory {
  apps: readonly AppRecord[];
  rosters: Rosters;
}

export const defaultInventory: Inventory = { apps, rosters: homeRosters };

/** What is wrong with the catalog or the rosters themselves: the program refuses them before any stack's resources. */
export function inventoryProblems(inventory: Inventory): string[] {
  return [...catalogProblems(inventory.apps), ...rosterProblems(inventory.rosters)];
}
