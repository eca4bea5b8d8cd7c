/**
 * What the program builds from besides the stack config: the app catalog and the machine rosters.
 * One object, so that a spec can plan a catalog with one more app, or a roster with one more
 * machine, through the same code path as `pulumi up`.
 */
import { apps } from "./catalog";
import type { AppRecord } from "./catalog/types";
import { homeRosters, type Rosters } from "./machines";

export interface Inventory {
  apps: readonly AppRecord[];
  rosters: Rosters;
}

export const defaultInventory: Inventory = { apps, rosters: homeRosters };
