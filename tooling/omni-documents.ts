/**
 * The Omni documents kept in the repository (stories 1.2.3 and 1.3.4: `omni/clusters/<name>.yaml`,
 * `omni/machine-classes/`), rendered from the example stack configs exactly as the program
 * renders them. `npm run omni:render` rewrites them; a test fails when they drift.
 */
import { loadStackConfig, type CloudConfig, type DevConfig, type ProdConfig } from "../lib/config";
import { defaultInventory, type Inventory } from "../lib/inventory";
import { cloudClusterSpec, homeClusterSpec } from "../lib/talos/cluster-specs";
import { clusterTemplate } from "../lib/talos/cluster-template";
import { machineClassesDocument } from "../lib/talos/omnictl";
import { readStackFile } from "./plan/stack-file";

export function exampleOmniDocuments(directory = process.cwd(), inventory: Inventory = defaultInventory): Record<string, string> {
  const load = <T>(stack: string) => loadStackConfig(stack, readStackFile(stack, directory)).config as T;
  const dev = load<DevConfig>("dev");
  const prod = load<ProdConfig>("prod");
  const cloud = load<CloudConfig>("cloud");
  const header = (source: string) => `# Rendered from ${source} by \`npm run omni:render\`; the program syncs the same text with omnictl.\n`;
  const documents: Record<string, string> = {
    "omni/machine-classes/machine-classes.yaml": header("lib/talos/omni.ts") + machineClassesDocument(),
    "omni/clusters/dev.yaml": header("Pulumi.dev.yaml") + clusterTemplate(homeClusterSpec("dev", dev, inventory.apps, inventory.rosters)),
    "omni/clusters/prod.yaml": header("Pulumi.prod.yaml") + clusterTemplate(homeClusterSpec("prod", prod, inventory.apps, inventory.rosters)),
  };
  const cloudSpec = cloudClusterSpec(cloud, inventory.apps);
  if (cloudSpec) documents["omni/clusters/cloud.yaml"] = header("Pulumi.cloud.yaml") + clusterTemplate(cloudSpec);
  return documents;
}
