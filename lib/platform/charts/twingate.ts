import type { AppRecord, Values } from "../../catalog/types";
import { labels } from "../../markers";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

export function twingateValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    connector: { network: "homelab", existingSecret: "twingate-connector", logLevel: "info" },
    resources: resourcesFor(app),
    podLabels: { [labels.cluster]: ctx.cluster },
  };
}
