/**
 * Home Assistant's first configuration (story 4.3.1), seeded once into /config: HA's own default
 * (homeassistant/config.py DEFAULT_CONFIG and the files it includes, which HA writes only when
 * configuration.yaml is missing) plus the `http` block that makes it accept requests from the
 * tunnel's connector and the LAN Gateway. Without it HA answers 400 to every proxied request
 * ("A request from a reverse proxy was received … but your HTTP integration is not set-up for
 * reverse proxies"). HA owns the files afterwards.
 */
import type { ClusterContext } from "./cluster-context";

/**
 * Talos' default pod network (cluster.network.podSubnets, Talos v1.9 defaults): cloudflared's
 * pods and Cilium's Gateway connect to HA from addresses in it.
 */
export const talosPodSubnet = "10.244.0.0/16";

/** The files seeded into /config, by name. */
export function homeAssistantConfigFiles(ctx: Pick<ClusterContext, "lan">): Record<string, string> {
  const proxies = [talosPodSubnet, ...(ctx.lan ? [ctx.lan.cidr] : [])];
  return {
    "configuration.yaml": [
      "# Seeded once by the homelab program; Home Assistant owns this file from now on.",
      "# Loads default set of integrations. Do not remove.",
      "default_config:",
      "",
      "# Load frontend themes from the themes folder",
      "frontend:",
      "  themes: !include_dir_merge_named themes",
      "",
      "automation: !include automations.yaml",
      "script: !include scripts.yaml",
      "scene: !include scenes.yaml",
      "",
      "# Reached through the Cloudflare Tunnel's connector and the LAN Gateway, which both forward",
      "# the client's address; ban an address after repeated failed sign-ins.",
      "http:",
      "  use_x_forwarded_for: true",
      "  trusted_proxies:",
      ...proxies.map((p) => `    - ${p}`),
      "  ip_ban_enabled: true",
      "  login_attempts_threshold: 5",
      "",
    ].join("\n"),
    "automations.yaml": "[]\n",
    "scripts.yaml": "",
    "scenes.yaml": "[]\n",
  };
}
