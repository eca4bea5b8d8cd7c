/**
 * Everything the platform of one cluster renders from config, catalog and roster, computed and
 * checked before any resource exists: a bad record fails here, naming the app and the reason.
 */
import { clusterApplications, type PlannedApplication } from "./argocd-applications";
import type { ClusterContext } from "./cluster-context";
import { namespaces, platformObjects, pulumiSecrets, type PlatformObject, type PulumiSecretSpec } from "./objects";
import type { KubernetesDocument } from "./documents";

export interface PreparedPlatform {
  context: ClusterContext;
  applications: PlannedApplication[];
  namespaces: KubernetesDocument[];
  objects: PlatformObject[];
  secrets: PulumiSecretSpec[];
}

/** Renders and checks the platform of a cluster; throws (with the app and reason) before anything is created. */
export function preparePlatform(context: ClusterContext): PreparedPlatform {
  const applications = clusterApplications(context);
  const objects = platformObjects(context);
  const running = new Set(applications.map((a) => a.app.name));
  const orphans = objects.filter((o) => o.after.some((app) => !running.has(app)));
  if (orphans.length > 0) {
    throw new Error(`platform ${context.cluster}: ${orphans.map((o) => `${o.id} waits for ${o.after.join(", ")}`).join("; ")}, which do not all run on this cluster`);
  }
  return { context, applications, namespaces: namespaces(context), objects, secrets: pulumiSecrets(context) };
}
