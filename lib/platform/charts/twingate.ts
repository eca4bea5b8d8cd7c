/**
 * The Twingate connector on PROD (chart Twingate/helm-charts `stable/connector` 0.1.31, commit
 * 982112425f): it dials `https://<connector.network>.twingate.com` (templates/deployment.yaml
 * TWINGATE_URL), so the network name comes from config, never a literal; the chart reads only
 * `additionalLabels` for extra labels (no `podLabels` key exists in it). Its token pair is minted
 * by the cloud stack (components/twingate) and written as the Secret `existingSecret` names.
 */
import type { AppRecord, Values } from "../../catalog/types";
import { labels } from "../../markers";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

/** The Secret with TWINGATE_ACCESS_TOKEN and TWINGATE_REFRESH_TOKEN (the chart's own key names). */
export const twingateConnectorSecret = "twingate-connector";

export function twingateValues(ctx: ClusterContext, app: AppRecord): Values {
  if (!ctx.twingate) {
    throw new Error(`cluster ${ctx.cluster}: the Twingate connector needs the Twingate network name (homelab:twingate.network on the cloud stack, read through its twingateNetwork output)`);
  }
  return {
    connector: { network: ctx.twingate.network, existingSecret: twingateConnectorSecret, logLevel: "info" },
    resources: resourcesFor(app),
    additionalLabels: { [labels.cluster]: ctx.cluster, [labels.app]: app.name },
  };
}
