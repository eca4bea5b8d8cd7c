/**
 * Talos patches from config (`homelab:talosPatches`): valid against the upstream Talos v1.9
 * schema, clear of the fields the program owns (CNI, kube-proxy, versions and images), unique by
 * name, and aimed at machines the cluster has.
 */
import type { Inventory } from "../inventory";
import { talosPatchProblems } from "../talos/omni";
import { ownedFieldAt, patchLeafPaths } from "../talos/patches";
import type { StackName } from "./errors";
import type { CloudConfig, DevConfig, ProdConfig } from "./load";

function hasWorkers(stack: StackName, config: CloudConfig | ProdConfig | DevConfig, inventory: Inventory): boolean {
  if (stack === "cloud") return ((config as CloudConfig)["homelab:cloudMachineIds"]?.workers.length ?? 1) > 0;
  return inventory.rosters[stack].machines.some((m) => m.role === "worker");
}

export function talosPatchRules(stack: StackName, config: CloudConfig | ProdConfig | DevConfig, inventory: Inventory): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  config["homelab:talosPatches"].forEach((entry, i) => {
    const at = `homelab:talosPatches[${i}]`;
    if (names.has(entry.name)) problems.push(`${at}.name = "${entry.name}": two patches share this name, and Omni keys patches by name; fix: rename one`);
    names.add(entry.name);
    if (entry.target === "workers" && !hasWorkers(stack, config, inventory)) {
      problems.push(`${at}.target = "workers": the ${stack} cluster has no workers, so this patch would apply to nothing; fix: pulumi config set --path '${at}.target' cluster`);
    }
    const reported = new Set<string>();
    for (const leaf of patchLeafPaths(entry.patch)) {
      const owned = ownedFieldAt(leaf);
      if (!owned || reported.has(owned.path)) continue;
      reported.add(owned.path);
      problems.push(`${at}.patch.${leaf}: the program owns ${owned.path}: ${owned.why}; fix: remove it from the patch${owned.fix ? ` and ${owned.fix}` : ""}`);
    }
    problems.push(...talosPatchProblems(entry.patch, `${at} ("${entry.name}")`));
  });
  return problems;
}
