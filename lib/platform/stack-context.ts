/**
 * Builds each cluster's platform context and Alertmanager configuration from its stack's config
 * (and the cloud stack's backup outputs), so that index.ts only wires components.
 */
import * as pulumi from "@pulumi/pulumi";
import { requiredHostname, type ClusterName } from "../catalog";
import type { CloudConfig, DevConfig, ProdConfig } from "../config";
import { renderAlertmanagerConfig } from "../monitoring/alertmanager";
import type { ClusterContext, ClusterNode } from "./context";

type AnyConfig = CloudConfig | ProdConfig | DevConfig;

export interface BackupTarget {
  s3Endpoint: pulumi.Input<string>;
  bucket: pulumi.Input<string>;
  region: pulumi.Input<string>;
}

export function clusterNodes(cluster: ClusterName, config: AnyConfig): ClusterNode[] {
  if (cluster === "cloud") {
    return (config as CloudConfig)["homelab:oci"].instances.filter((i) => i.role === "talos").map((i) => ({ name: i.name, cpu: i.ocpus, memoryGi: i.memoryGb }));
  }
  if (cluster === "prod") {
    const vms = (config as ProdConfig)["homelab:vms"];
    return [
      { name: "prod-cp-1", cpu: vms.controlPlane.cores, memoryGi: vms.controlPlane.memoryGb },
      { name: "prod-worker-1", cpu: vms.worker.cores, memoryGi: vms.worker.memoryGb },
    ];
  }
  const node = (config as DevConfig)["homelab:vms"].node;
  return [{ name: "dev-1", cpu: node.cores, memoryGi: node.memoryGb }];
}

export function clusterContext(cluster: ClusterName, config: AnyConfig, backup: BackupTarget): ClusterContext {
  const domain = config["homelab:domain"];
  const platform = config["homelab:platform"];
  const home = cluster !== "cloud";
  const proxmox = home ? (config as ProdConfig | DevConfig)["homelab:proxmox"] : undefined;
  const lan = "lan" in platform ? platform.lan : undefined;
  return {
    cluster,
    domain,
    authentikUrl: `https://${requiredHostname("authentik", domain)}`,
    nodes: clusterNodes(cluster, config),
    defaultStorageClass: cluster === "prod" ? "longhorn" : "local-path",
    ...(proxmox && lan ? { lan: { cidr: proxmox.lanCidr, loadBalancerPool: lan.loadBalancerPool, gatewayIp: lan.gatewayIp, ...(lan.dnsIp ? { dnsIp: lan.dnsIp } : {}) } } : {}),
    // CLOUD reaches the same host's pool, so it shares the home stacks' default pool name.
    nfs: { server: proxmox ? proxmox.address : "nfsServer" in platform ? platform.nfsServer : "", pool: proxmox ? proxmox.zfsPool : "tank" },
    backup,
    acmeEmail: platform.acmeEmail,
    bitwarden: platform.bitwarden,
  };
}

/** Alertmanager's configuration with the receivers' tokens, as a secret. */
export function alertmanagerConfigFor(cluster: ClusterName, config: AnyConfig): pulumi.Output<string> {
  const alerting = config["homelab:alerting"];
  const ntfyHost = cluster === "prod" ? "http://ntfy.ntfy.svc" : `https://${requiredHostname("ntfy", config["homelab:domain"])}`;
  return pulumi.secret(
    pulumi.all([config["homelab:alertingNtfyToken"].value, config["homelab:alertingTelegramBotToken"].value]).apply(([ntfyToken, botToken]) =>
      renderAlertmanagerConfig({ ntfyUrl: `${ntfyHost}/${alerting.ntfyTopic}`, ntfyToken, telegram: { chatId: alerting.telegramChatId, botToken } }),
    ),
  );
}
