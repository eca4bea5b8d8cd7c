/**
 * Everything the platform of one cluster renders from config, catalog and roster, computed and
 * checked before any resource exists: a bad record fails here, naming the app and the reason.
 */
import { ConfigError } from "../config/errors";
import { clusterApplications, creationOrder, type PlannedApplication } from "./argocd-applications";
import type { ClusterContext } from "./cluster-context";
import { nodeCollectionProblems } from "./charts/monitoring";
import { crdOrderProblems } from "./crds";
import { databaseProblems } from "./databases";
import { lanAddressProblems, lanLoadBalancers } from "./lan";
import { namespaces, platformObjects, pulumiSecrets, type PlatformObject, type PulumiSecretSpec } from "./objects";
import type { KubernetesDocument } from "./documents";
import { podInputProblems } from "./pod-inputs";
import { podSecurityProblems } from "./privileges";

export interface PreparedPlatform {
  context: ClusterContext;
  applications: PlannedApplication[];
  namespaces: KubernetesDocument[];
  objects: PlatformObject[];
  secrets: PulumiSecretSpec[];
}

/** Objects that must exist before an Application can only wait for Applications created before that one. */
/** Checks between two charts' values: Alloy's node collection and kube-prometheus-stack's node rules and dashboards. */
function chartPairProblems(applications: readonly PlannedApplication[]): string[] {
  const valuesOf = (chart: string) => applications.find((a) => a.app.deploy?.kind === "chart" && a.app.deploy.chart === chart)?.values;
  const alloy = valuesOf("alloy");
  const kubePrometheusStack = valuesOf("kubePrometheusStack");
  return alloy && kubePrometheusStack ? nodeCollectionProblems(alloy, kubePrometheusStack) : [];
}

function beforeProblems(applications: readonly PlannedApplication[], objects: readonly PlatformObject[]): string[] {
  const position = new Map(creationOrder(applications).map((a, i) => [a.app.name, i]));
  const problems: string[] = [];
  for (const object of objects) {
    for (const needer of object.before) {
      const at = position.get(needer);
      if (at === undefined) {
        problems.push(`${object.id} is needed by ${needer}, which does not run on this cluster`);
        continue;
      }
      const late = object.after.filter((a) => (position.get(a) ?? Infinity) >= at);
      if (late.length > 0) problems.push(`${object.id} is needed by ${needer} but waits for ${late.join(", ")}, which is created after ${needer}: a deadlock`);
    }
  }
  return problems;
}

/**
 * Renders and checks the platform of a cluster; a problem stops the program (one line each, naming
 * the record) before anything is created: inconsistent records first, then what would keep the
 * first `pulumi up` from converging (docs/platform.md).
 */
export function preparePlatform(context: ClusterContext): PreparedPlatform {
  const applications = clusterApplications(context);
  const objects = platformObjects(context);
  const secrets = pulumiSecrets(context);
  const namespaceDocuments = namespaces(context);
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
  const convergence = [
    ...crdOrderProblems(context.cluster, applications, objects),
    ...podInputProblems(context.cluster, applications, objects, secrets),
    ...beforeProblems(applications, objects),
    ...lanAddressProblems(context.cluster, lanLoadBalancers(applications, objects)),
    ...podSecurityProblems(context.cluster, applications, namespaceDocuments),
    ...databaseProblems(objects),
    ...chartPairProblems(applications),
  ];
  if (convergence.length > 0) throw new ConfigError(context.cluster, convergence.map((p) => `platform ${context.cluster} would not converge: ${p}`));
  return { context, applications, namespaces: namespaceDocuments, objects, secrets };
}
