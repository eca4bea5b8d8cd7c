/** Alertmanager's configuration for a cluster, with the receivers' tokens, as a Pulumi secret. */
import * as pulumi from "@pulumi/pulumi";
import { appWithRole } from "../lib/catalog/queries";
import type { AppRecord, ClusterName } from "../lib/catalog/types";
import type { CloudConfig, DevConfig, ProdConfig } from "../lib/config";
import { renderAlertmanagerConfig } from "../lib/monitoring/alertmanager";
import { appsOnCluster } from "../lib/platform/cluster-context";
import { originOf, publicHostname, tunnelRoutes } from "../lib/routes";

/** The notifications app (ntfy) as Alertmanager reaches it: its Service where it runs on the same cluster, else its public hostname. */
export function notificationsBaseUrl(cluster: ClusterName, config: CloudConfig | ProdConfig | DevConfig, apps: readonly AppRecord[]): string {
  const notifications = appWithRole(apps, "notifications");
  const local = appsOnCluster(cluster, apps).includes(notifications);
  if (local && notifications.exposure.kind === "tunnel") return originOf(notifications, notifications.exposure, apps);
  return `https://${publicHostname(tunnelRoutes(config["homelab:domain"], apps), notifications.name)}`;
}

export function alertmanagerConfigFor(cluster: ClusterName, config: CloudConfig | ProdConfig | DevConfig, apps: readonly AppRecord[]): pulumi.Output<string> {
  const alerting = config["homelab:alerting"];
  const ntfy = notificationsBaseUrl(cluster, config, apps);
  return pulumi.secret(
    pulumi.all([config["homelab:alertingNtfyToken"].value, config["homelab:alertingTelegramBotToken"].value]).apply(([ntfyToken, botToken]) =>
      renderAlertmanagerConfig({ ntfyUrl: `${ntfy}/${alerting.ntfyTopic}`, ntfyToken, telegram: { chatId: alerting.telegramChatId, botToken } }),
    ),
  );
}
