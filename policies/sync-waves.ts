/**
 * sync-waves: ArgoCD Applications roll out wave by wave (story 1.4.4), and nothing waits on an
 * Application whose health rests on a path outside the cluster (the home NFS through Twingate).
 */
import { annotations, labels } from "../lib/markers";
import { types } from "./types";
import { annotationOf, labelOf, violationsOf, type HomelabPolicy } from "./view";

const synced = "{.status.sync.status}=Synced";
const healthy = "{.status.health.status}=Healthy";

export const syncWaves: HomelabPolicy = {
  name: "sync-waves",
  description:
    "ArgoCD Applications roll out wave by wave (story 1.4.4): each Application of wave N depends on every awaited Application of the previous wave on its cluster, which Pulumi waits to be Synced and Healthy; an Application marked awaits=synced (its health rests on the home path) is waited for by nobody.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    const apps = resources
      .filter((r) => r.type === types.argoApplication)
      .map((r) => ({ r, cluster: labelOf(r.props, labels.cluster) ?? "?", wave: Number(labelOf(r.props, labels.wave)), awaited: labelOf(r.props, labels.awaits) !== "synced" }));
    const byUrn = new Map(apps.map((a) => [a.r.urn, a]));
    for (const { r, cluster, wave, awaited } of apps) {
      if (!Number.isInteger(wave)) {
        report(r.name, `Application has no ${labels.wave} label; every catalog app has a sync wave`);
        continue;
      }
      const waitFor = annotationOf(r.props, annotations.waitFor) ?? "";
      if (awaited && (!waitFor.includes(synced) || !waitFor.includes(healthy))) {
        report(r.name, `Application lacks the ${annotations.waitFor} annotation for Synced and Healthy, so the next wave would not wait for it`);
      } else if (!awaited && !waitFor.includes(synced)) {
        report(r.name, `Application marked ${labels.awaits}=synced lacks the ${annotations.waitFor} annotation for Synced`);
      }
      const deps = new Set(r.dependencies ?? []);
      for (const dependency of deps) {
        const before = byUrn.get(dependency);
        if (before && !before.awaited) {
          report(r.name, `waits for "${before.r.name}", whose health rests on a path outside the cluster (${labels.awaits}=synced); a home that is down would hold this wave up, so nothing may wait for it`);
        }
      }
      const lower = apps.filter((a) => a.cluster === cluster && a.awaited && a.wave < wave).map((a) => a.wave);
      if (lower.length === 0) continue;
      const previous = Math.max(...lower);
      for (const before of apps.filter((a) => a.cluster === cluster && a.awaited && a.wave === previous)) {
        if (!deps.has(before.r.urn)) {
          report(r.name, `wave ${wave} Application does not depend on "${before.r.name}" (wave ${previous}, cluster ${cluster}); it could start before that one is Synced and Healthy`);
        }
      }
    }
    return found;
  },
};
