/** Config rules that span several keys or need the catalog, per stack; totals are left to the budgets, which see the resources. */
import { backupConfigProblems } from "../backup/report";
import { inventoryProblems, type Inventory } from "../inventory";
import { catalogReferenceProblems } from "./catalog-references";
import { cloudRules } from "./cloud-rules";
import type { StackName } from "./errors";
import { homeRules } from "./home-rules";
import { talosPatchRules } from "./talos-rules";
import type { CloudConfig, DevConfig, ProdConfig, StackConfig } from "./load";

/**
 * Every rule's problems. With `partial`, the config holds only the keys that passed the schema
 * (the others are reported already): a rule that needs a missing key is skipped, so that the
 * admin still gets every other rule's lines in the same run.
 */
export function crossFieldProblems(stack: StackName, config: CloudConfig | ProdConfig | DevConfig, inventory: Inventory, options: { partial?: boolean } = {}): string[] {
  // The rules read the catalog and the rosters: an inconsistent record is the problem to report
  // (as the program would, before any resource), not what a rule trips over reading it.
  const own = inventoryProblems(inventory);
  if (own.length > 0) return own;
  const rules: (() => string[])[] =
    stack === "cloud"
      ? cloudRules.map((rule) => () => rule(config as CloudConfig, inventory))
      : homeRules(stack).map((rule) => () => rule(config as ProdConfig | DevConfig, inventory));
  rules.push(() => talosPatchRules(stack, config, inventory));
  // Bulk data must say where its copy goes before anything is created.
  rules.push(() => backupConfigProblems({ stack, config } as StackConfig, inventory.apps));
  // What the catalog's records ask of this stack's config (a USB device on PROD, Comet's egress IP).
  rules.push(() => catalogReferenceProblems({ stack, config } as StackConfig, inventory.apps));
  return rules.flatMap((rule) => {
    try {
      return rule();
    } catch (error) {
      if (options.partial && error instanceof TypeError) return [];
      throw error;
    }
  });
}
