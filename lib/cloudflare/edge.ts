/**
 * What the Cloudflare edge is told, as pure data: zone settings that hold on the free plan, the
 * tunnel's ingress rules (catch-all last) and the WAF custom rules.
 */
import { catchAllService } from "../markers";
import type { TunnelRoute } from "../routes";

/** Security settings every plan includes (free plan): HTTPS only, TLS 1.2 or newer. */
export const zoneSettings: Record<string, string> = {
  always_use_https: "on",
  min_tls_version: "1.2",
  ssl: "strict",
  automatic_https_rewrites: "on",
  tls_1_3: "on",
};

/**
 * The tunnel's ingress rules: per hostname, first its blocked paths (answered 404 by the
 * connector: cloudflared matches rules in order, `path` as a regex), then the hostname itself,
 * then the catch-all 404 (required last).
 */
export function tunnelIngress(routes: readonly TunnelRoute[]): { hostname?: string; path?: string; service: string; originRequest?: { noTlsVerify?: boolean } }[] {
  return [
    ...routes.flatMap((r) => [
      ...r.blockedPaths.map((path) => ({ hostname: r.hostname, path, service: catchAllService })),
      {
        hostname: r.hostname,
        service: r.origin,
        // Omni's Kubernetes proxy on the VM's loopback serves the certificate of Omni's public
        // names, not of 127.0.0.1; the hop never leaves the VM. (No gRPC goes through the tunnel:
        // Omni's gRPC APIs are direct routes, lib/ingress-exceptions.ts.)
        ...(r.origin.startsWith("https://") ? { originRequest: { noTlsVerify: true } } : {}),
      },
    ]),
    { service: catchAllService },
  ];
}

/**
 * WAF custom rules, within the free plan's five: block HTTP methods no app uses, challenge
 * unverified bots, and block secret-file probes on admin hosts (Access guards the rest).
 */
export function wafRules(routes: readonly TunnelRoute[]): { action: string; expression: string; description: string; enabled: boolean }[] {
  const adminHosts = routes.filter((r) => r.tier === "admin").map((r) => `"${r.hostname}"`);
  const rules = [
    {
      action: "block",
      expression: '(http.request.method in {"TRACE" "TRACK" "CONNECT"})',
      description: "block methods no app uses",
      enabled: true,
    },
    {
      action: "managed_challenge",
      expression: "(cf.client.bot) and not (cf.verified_bot_category in {\"Search Engine Crawler\"})",
      description: "challenge unverified bots",
      enabled: true,
    },
  ];
  if (adminHosts.length > 0) {
    rules.push({
      action: "block",
      expression: `(http.host in {${adminHosts.join(" ")}} and http.request.uri.path contains "/.env")`,
      description: "block secret-file probes on admin hosts",
      enabled: true,
    });
  }
  return rules;
}
