import type { AppRecord, Values } from "../../catalog/types";
import { labels } from "../../markers";
import type { ClusterContext } from "../cluster-context";
import { resourcesFor } from "../resources";

/** The Secret with the connector's tokens (filled from Bitwarden). */
export const twingateTokensSecret = "twingate-connector";

export function twingateValues(ctx: ClusterContext, app: AppRecord): Values {
  return {
    connector: { network: "homelab", existingSecret: twingateTokensSecret, logLevel: "info" },
    resources: resourcesFor(app),
    podLabels: { [labels.cluster]: ctx.cluster },
  };
}
