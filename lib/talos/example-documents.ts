/**
 * The Omni documents kept in the repository (stories 1.2.3 and 1.3.4: `omni/clusters/<name>.yaml`,
 * `omni/machine-classes/`), rendered from the example stack configs exactly as the program
 * renders them. `npm run omni:render` rewrites them; a test fails when they drift.
 */
import { machineClassesDocument } from "../../components/talos-cluster";
import { stableUuid } from "../../components/proxmox-machines";
import { loadStackConfig, type CloudConfig, type DevConfig, type ProdConfig } from "../config";
import { readStackFile } from "../plan/stack-file";
import { clusterTemplate } from "./clusters";

export function exampleOmniDocuments(directory = process.cwd()): Record<string, string> {
  const load = <T>(stack: string) => loadStackConfig(stack, readStackFile(stack, directory)).config as T;
  const dev = load<DevConfig>("dev");
  const prod = load<ProdConfig>("prod");
  const cloud = load<CloudConfig>("cloud");
  const header = (source: string) => `# Rendered from ${source} by \`npm run omni:render\`; the program syncs the same text with omnictl.\n`;
  const ids = cloud["homelab:cloudMachineIds"];
  const documents: Record<string, string> = {
    "omni/machine-classes/machine-classes.yaml": header("lib/talos/omni.ts") + machineClassesDocument(),
    "omni/clusters/dev.yaml":
      header("Pulumi.dev.yaml") +
      clusterTemplate({
        name: "dev",
        talosVersion: dev["homelab:talosVersion"],
        kubernetesVersion: dev["homelab:kubernetesVersion"],
        controlPlane: [stableUuid("dev-1")],
        workers: [],
        extraPatches: dev["homelab:talosPatches"],
      }),
    "omni/clusters/prod.yaml":
      header("Pulumi.prod.yaml") +
      clusterTemplate({
        name: "prod",
        talosVersion: prod["homelab:talosVersion"],
        kubernetesVersion: prod["homelab:kubernetesVersion"],
        controlPlane: [stableUuid("prod-cp-1")],
        workers: [stableUuid("prod-worker-1")],
        extraPatches: prod["homelab:talosPatches"],
      }),
  };
  if (ids) {
    documents["omni/clusters/cloud.yaml"] =
      header("Pulumi.cloud.yaml") +
      clusterTemplate({
        name: "cloud",
        talosVersion: cloud["homelab:talosVersion"],
        kubernetesVersion: cloud["homelab:kubernetesVersion"],
        controlPlane: [ids.controlPlane],
        workers: ids.workers,
        extraPatches: cloud["homelab:talosPatches"],
      });
  }
  return documents;
}
