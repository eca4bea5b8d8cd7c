/** Kubernetes requests and limits from the catalog's reservation of an app. */
import type { AppRecord, Resources } from "../catalog/types";

export interface K8sResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

/** Requests and limits for `share` of the app's reservation (its pods together). */
export function k8sResources(resources: Resources, share = 1): K8sResources {
  const cpu = Math.max(1, Math.round(resources.cpuM * share));
  const memory = Math.max(16, Math.round(resources.memoryMi * share));
  const limit = Math.max(memory, Math.round((resources.limitMemoryMi ?? resources.memoryMi * 2) * share));
  return { requests: { cpu: `${cpu}m`, memory: `${memory}Mi` }, limits: { memory: `${limit}Mi` } };
}

/** The catalog's reservation of a cluster app; an app off-cluster has none (a programming error). */
export function reservationOf(app: AppRecord): Resources {
  if (app.placement.kind !== "cluster") throw new Error(`catalog app "${app.name}" does not run in a cluster`);
  return app.placement.resources;
}

/** Requests and limits for `share` of the app's reservation. */
export function resourcesFor(app: AppRecord, share = 1): K8sResources {
  return k8sResources(reservationOf(app), share);
}

/** Requests and limits of one DaemonSet pod (`share` of the app's per-node reservation). */
export function perNodeResourcesFor(app: AppRecord, share = 1): K8sResources {
  if (app.placement.kind !== "cluster" || !app.placement.perNode) throw new Error(`catalog app "${app.name}" runs a DaemonSet but its placement has no perNode reservation`);
  return k8sResources(app.placement.perNode, share);
}
