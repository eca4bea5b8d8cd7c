import type { AppRecord, Values } from "../../catalog/types";
import { resourcesFor } from "../resources";

/**
 * Volsync 0.16 (restic 0.18.1 movers): the ReplicationSources come from the records (lib/platform/
 * backup-objects.ts). Its ServiceMonitor carries no token (templates/servicemonitor-volsync.yaml
 * renders it once the monitoring.coreos.com CRDs exist), so the metrics endpoint must not ask
 * for RBAC auth (`--metrics-require-rbac=false`), or Prometheus is refused.
 */
export function volsyncValues(_ctx: unknown, app: AppRecord): Values {
  return { manageCRDs: true, metrics: { disableAuth: true }, resources: resourcesFor(app) };
}
