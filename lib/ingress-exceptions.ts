/**
 * The only openings from the internet the homelab has, as typed data (issue 13, path 1). The
 * program builds them (the management VM's network security group, its host firewall, Omni's
 * listeners, the DNS-only records) and the `no-public-ingress` policy allows exactly these and
 * nothing wider: the same protocol, the one port, the one NSG, the one record, the one stack.
 *
 * Why they exist: Talos SideroLink, omnictl and talosctl-through-Omni are gRPC. Cloudflare
 * Tunnel carries gRPC only through private-network routing, not on public hostnames
 * (cloudflare-docs `partials/cloudflare-one/tunnel/grpc-support.mdx`; cloudflared#1170 "We
 * officially don't support GRPC"; cloudflared#1641 trailers stripped even over HTTP/2), and the
 * zone's proxied-gRPC toggle is not in Cloudflare's API and makes Access ignore gRPC requests on
 * every proxied hostname of the zone. So Omni listens on the management VM's public address,
 * as Sidero's own on-prem deployment does (omni `deploy/env.template` @ v0.48.3), with a
 * certificate from a public CA (Talos v1.9 verifies the SideroLink endpoint against the system
 * roots: `internal/app/machined/pkg/controllers/siderolink/manager.go`). Nothing at home opens.
 */

export const ingressExceptionNames = ["omni-api", "omni-siderolink"] as const;
export type IngressExceptionName = (typeof ingressExceptionNames)[number];

export interface IngressException {
  name: IngressExceptionName;
  /** The catalog app whose `direct` exposure this is (its DNS record carries the exception's name). */
  app: string;
  /** OCI protocol number as the NSG rule states it ("6" = TCP). */
  protocol: "6";
  /** The one destination port (min = max). */
  port: number;
  /** Where from: the internet, because the home address is dynamic and the admin's laptop roams. */
  sources: readonly ("0.0.0.0/0" | "::/0")[];
  /** The stack and the network security group (by its `role` tag) that may hold the rule. */
  stack: "cloud";
  nsgRole: "mgmt";
  /** Shown in policy messages and the docs. */
  why: string;
}

export const ingressExceptions: readonly IngressException[] = [
  {
    name: "omni-api",
    app: "omni",
    protocol: "6",
    port: 443,
    sources: ["0.0.0.0/0"],
    stack: "cloud",
    nsgRole: "mgmt",
    why: "Omni's API and UI (omnictl, talosctl through Omni, the browser): gRPC, which Cloudflare Tunnel public hostnames do not carry",
  },
  {
    name: "omni-siderolink",
    app: "omni-siderolink",
    protocol: "6",
    port: 8090,
    sources: ["0.0.0.0/0"],
    stack: "cloud",
    nsgRole: "mgmt",
    why: "Omni's SideroLink machine API, where Talos machines join and tunnel WireGuard over gRPC (no UDP port)",
  },
];

/** The NSG rule description that names an exception (the policy reads it back). */
export const exceptionMarker = "homelab-exception=";

export function exceptionNamed(name: string): IngressException | undefined {
  return ingressExceptions.find((e) => e.name === name);
}

/** The exception of a catalog app with a direct exposure (throws for a name the list lacks: a programming error). */
export function exceptionFor(name: IngressExceptionName): IngressException {
  const found = exceptionNamed(name);
  if (!found) throw new Error(`ingress exception "${name}" is not in lib/ingress-exceptions.ts`);
  return found;
}
