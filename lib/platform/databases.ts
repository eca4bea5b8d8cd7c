/**
 * CloudNativePG clusters that give each app what it expects on the first start. CNPG runs
 * `postInitSQL` in the `postgres` database and `postInitApplicationSQL` in the app's own
 * (cloudnative-pg v1.25.1 api/v1/cluster_types.go): an extension the app needs must be created in
 * the latter, by the superuser, since the app's owner may not create untrusted extensions. VectorChord
 * also has to be preloaded (`shared_preload_libraries: [vchord.so]`).
 */
import type { PlatformObject } from "./objects";

interface CnpgCluster {
  metadata: { name: string };
  spec?: { bootstrap?: { initdb?: { postInitSQL?: string[]; postInitApplicationSQL?: string[] } }; postgresql?: { shared_preload_libraries?: string[] } };
}

const createsExtension = (sql: string, name?: string) => new RegExp(`create\\s+extension\\s+(if\\s+not\\s+exists\\s+)?${name ?? "\\w+"}\\b`, "i").test(sql);

export function databaseProblems(objects: readonly PlatformObject[]): string[] {
  const problems: string[] = [];
  for (const { id, object } of objects.filter((o) => o.object.kind === "Cluster" && o.object.apiVersion.startsWith("postgresql.cnpg.io/"))) {
    const cluster = object as unknown as CnpgCluster;
    const initdb = cluster.spec?.bootstrap?.initdb ?? {};
    for (const sql of (initdb.postInitSQL ?? []).filter((q) => createsExtension(q))) {
      problems.push(`${id}: "${sql}" runs in the postgres database (postInitSQL), not in the app's; use postInitApplicationSQL`);
    }
    const vchord = (initdb.postInitApplicationSQL ?? []).some((q) => createsExtension(q, "vchord"));
    const preloaded = (cluster.spec?.postgresql?.shared_preload_libraries ?? []).includes("vchord.so");
    if (vchord !== preloaded) problems.push(`${id}: VectorChord is ${vchord ? "created but not preloaded (shared_preload_libraries: [vchord.so])" : "preloaded but never created"}`);
  }
  return problems;
}
