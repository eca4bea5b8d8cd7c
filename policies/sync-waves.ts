/** sync-waves: ArgoCD Applications roll out wave by wave (story 1.4.4). */
import { annotations, labels } from "../lib/markers";
import { types } from "./types";
import { annotationOf, labelOf, violationsOf, type HomelabPolicy } from "./view";

export const syncWaves: HomelabPolicy = {
  name: "sync-waves",
  description:
    "ArgoCD Applications roll out wave by wave (story 1.4.4): each Application of wave N depends on every Application of the previous wave on its cluster and waits until it is Synced and Healthy.",
  enforcementLevel: "mandatory",
  check(resources) {
    const { found, report } = violationsOf(this);
    const apps = resources
      .filter((r) => r.type === types.argoApplication)
      .map((r) => ({ r, cluster: labelOf(r.props, labels.cluster) ?? "?", wave: Number(labelOf(r.props, labels.wave)) }));
    for (const { r, cluster, wave } of apps) {
      if (!Number.isInteger(wave)) {
        report(r.name, `Application has no ${labels.wave} label; every catalog app has a sync wave`);
        continue;
      }
      const waitFor = annotationOf(r.props, annotations.waitFor) ?? "";
      if (!waitFor.includes("{.status.sync.status}=Synced") || !waitFor.includes("{.status.health.status}=Healthy")) {
        report(r.name, `Application lacks the ${annotations.waitFor} annotation for Synced and Healthy, so the next wave would not wait for it`);
      }
      const lower = apps.filter((a) => a.cluster === cluster && a.wave < wave).map((a) => a.wave);
      if (lower.length === 0) continue;
      const previous = Math.max(...lower);
      const deps = new Set(r.dependencies ?? []);
      for (const before of apps.filter((a) => a.cluster === cluster && a.wave === previous)) {
        if (!deps.has(before.r.urn)) {
          report(r.name, `wave ${wave} Application does not depend on "${before.r.name}" (wave ${previous}, cluster ${cluster}); it could start before that one is Synced and Healthy`);
        }
      }
    }
    return found;
  },
};
