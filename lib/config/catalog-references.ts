/**
 * Config rules that need the app catalog: values that name an app, or that an app's record
 * requires. Checked with the rest of the config, before any resource, as one line each.
 */
import type { AppRecord } from "../catalog/types";
import type { StackConfig } from "./load";

export function catalogReferenceProblems(loaded: StackConfig, apps: readonly AppRecord[]): string[] {
  const problems: string[] = [];
  const runsOn = (app: AppRecord, cluster: string) => app.placement.kind === "cluster" && app.placement.clusters.includes(cluster as never);
  if (loaded.stack === "cloud") {
    const pinned = apps.filter((a) => runsOn(a, "cloud") && a.placement.kind === "cluster" && a.placement.pinned === "static-egress");
    const reserved = loaded.config["homelab:oci"].instances.filter((i) => i.role === "talos" && i.reservedPublicIp);
    if (pinned.length > 0 && reserved.length !== 1) {
      problems.push(
        `homelab:oci.instances: ${pinned.map((a) => a.name).join(", ")} must leave from one stable public IP (FR-014), so exactly one talos instance needs reservedPublicIp: true (found ${reserved.length}); fix: set it on the instance that should carry ${pinned.map((a) => a.name).join(", ")}`,
      );
    }
  }
  if (loaded.stack === "prod") {
    loaded.config["homelab:usbDevices"].forEach((device, i) => {
      const app = apps.find((a) => a.name === device.app);
      if (!app || !runsOn(app, "prod")) {
        problems.push(`homelab:usbDevices[${i}].app = "${device.app}": no catalog app of that name runs on PROD; fix: name the app that uses the device (e.g. home-assistant)`);
      } else if (!app.takesUsbDevices) {
        const takers = apps.filter((a) => a.takesUsbDevices && runsOn(a, "prod")).map((a) => a.name);
        problems.push(
          `homelab:usbDevices[${i}].app = "${device.app}": that app takes no USB device (its record has no takesUsbDevices), so the stick would be mapped to the VM and reach no container; fix: name ${takers.length > 0 ? takers.join(" or ") : "an app whose record sets takesUsbDevices"} or remove the entry`,
        );
      }
    });
  }
  return problems;
}
