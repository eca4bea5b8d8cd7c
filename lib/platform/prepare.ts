/**
 * Everything the platform of one cluster renders from config, catalog and roster, computed and
 * checked before any resource exists: a bad record fails here, naming the app and the reason.
 */
import { ConfigError } from "../config/errors";
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

/** Renders and checks the platform of a cluster; a problem stops the program (one line each, naming the record) before anything is created. */
export function preparePlatform(context: ClusterContext): PreparedPlatform {
  const applications = clusterApplications(context);
  const objects = platformObjects(context);
  const secrets = pulumiSecrets(context);
  const running = new Set(applications.map((a) => a.app.name));
  const problems: string[] = [];
  for (const object of objects) {
    const missing = object.after.filter((app) => !running.has(app));
    if (missing.length > 0) problems.push(`platform ${context.cluster}: object ${object.id} waits for ${missing.join(", ")}, which do not run on this cluster; fix the record's objects (after) or placement`);
  }
  const seen = new Set<string>();
  for (const id of objects.map((o) => o.id)) {
    if (seen.has(id)) problems.push(`platform ${context.cluster}: two objects share the id ${id}; give one record's object another id`);
    seen.add(id);
  }
  if (problems.length > 0) throw new ConfigError(context.cluster, problems);
  return { context, applications, namespaces: namespaces(context), objects, secrets };
}
