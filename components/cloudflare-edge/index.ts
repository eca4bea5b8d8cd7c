import * as cloudflare from "@pulumi/cloudflare";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { tunnelIngress, wafRules, zoneSettings } from "../../lib/cloudflare/edge";
import { formatAppComment } from "../../lib/markers";
import { tunnelLocations, type TunnelLocation, type TunnelRoute } from "../../lib/routes";

export interface CloudflareEdgeArgs {
  accountId: string;
  zoneId: string;
  /** Routes from the app catalog (`tunnelRoutes`). */
  routes: readonly TunnelRoute[];
  /** E-mails allowed through Cloudflare Access to admin hostnames (in addition to Authentik). */
  adminEmails: readonly string[];
}

/**
 * Cloudflare in front of everything (FR-007): one remotely managed tunnel per location, proxied
 * CNAMEs to it for every catalog hostname, Cloudflare Access on admin hostnames, and zone
 * settings that hold on the free plan. No record points at an origin.
 */
export class CloudflareEdge extends pulumi.ComponentResource {
  readonly tunnelIds: Record<TunnelLocation, pulumi.Output<string>>;
  /** Connector tokens by location (secrets): mgmt → cloud-init, cloud/prod → cluster secrets. */
  readonly tunnelTokens: Record<TunnelLocation, pulumi.Output<string>>;

  constructor(name: string, args: CloudflareEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:cloudflare:Edge", name, {}, opts);
    const ids: Partial<Record<TunnelLocation, pulumi.Output<string>>> = {};
    const tokens: Partial<Record<TunnelLocation, pulumi.Output<string>>> = {};

    for (const location of tunnelLocations) {
      const routes = args.routes.filter((r) => r.location === location);
      const secret = new random.RandomBytes(`${name}-${location}-tunnel-secret`, { length: 32 }, { parent: this });
      const tunnel = new cloudflare.ZeroTrustTunnelCloudflared(`${name}-${location}`, {
        accountId: args.accountId,
        name: `homelab-${location}`,
        configSrc: "cloudflare",
        tunnelSecret: secret.base64,
      }, { parent: this });
      new cloudflare.ZeroTrustTunnelCloudflaredConfig(`${name}-${location}-config`, {
        accountId: args.accountId,
        tunnelId: tunnel.id,
        config: { ingresses: tunnelIngress(routes) },
      }, { parent: this });
      for (const route of routes) {
        new cloudflare.DnsRecord(`${name}-dns-${route.hostname}`, {
          zoneId: args.zoneId,
          name: route.hostname,
          type: "CNAME",
          content: pulumi.interpolate`${tunnel.id}.cfargotunnel.com`,
          proxied: true,
          ttl: 1,
          comment: formatAppComment(route.app, route.tier, route.groups, route.clients),
        }, { parent: this, deleteBeforeReplace: true });
      }
      ids[location] = tunnel.id;
      tokens[location] = pulumi.secret(
        cloudflare.getZeroTrustTunnelCloudflaredTokenOutput({ accountId: args.accountId, tunnelId: tunnel.id }, { parent: this }).token,
      );
    }
    this.tunnelIds = ids as Record<TunnelLocation, pulumi.Output<string>>;
    this.tunnelTokens = tokens as Record<TunnelLocation, pulumi.Output<string>>;

    // Machine endpoints authenticate in the app (see the catalog's `clients`); people go through Access.
    const adminRoutes = args.routes.filter((r) => r.tier === "admin" && r.clients === "people");
    if (adminRoutes.length > 0) {
      const admins = new cloudflare.ZeroTrustAccessPolicy(`${name}-admins`, {
        accountId: args.accountId,
        name: "homelab admins",
        decision: "allow",
        includes: args.adminEmails.map((email) => ({ email: { email } })),
        sessionDuration: "24h",
      }, { parent: this });
      for (const route of adminRoutes) {
        new cloudflare.ZeroTrustAccessApplication(`${name}-access-${route.app}-${route.location}`, {
          accountId: args.accountId,
          name: `${route.title} (${route.location})`,
          type: "self_hosted",
          domain: route.hostname,
          sessionDuration: "24h",
          appLauncherVisible: false,
          policies: [{ id: admins.id, precedence: 1 }],
        }, { parent: this });
      }
    }

    for (const [settingId, value] of Object.entries(zoneSettings)) {
      new cloudflare.ZoneSetting(`${name}-zone-${settingId}`, { zoneId: args.zoneId, settingId, value }, { parent: this });
    }
    new cloudflare.Ruleset(`${name}-waf`, {
      zoneId: args.zoneId,
      name: "homelab custom rules",
      description: "Free-plan custom rules in front of the tunnel",
      kind: "zone",
      phase: "http_request_firewall_custom",
      rules: wafRules(args.routes),
    }, { parent: this });

    this.registerOutputs({ tunnelIds: this.tunnelIds, tunnelTokens: this.tunnelTokens });
  }
}
