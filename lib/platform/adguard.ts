/**
 * AdGuard Home's first configuration (story 2.5.1), seeded once from an ExternalSecret template,
 * and the LAN names of the apps that run at home, which it answers with their Gateway's address
 * (issue 15: the family at home does not hairpin through Cloudflare).
 */
import type { LanRoute } from "../routes";

/** Blocklists AdGuard Home starts with. */
export const adguardBlocklists = [
  { name: "AdGuard DNS filter", url: "https://adguardteam.github.io/HostlistsRegistry/assets/filter_1.txt" },
  { name: "OISD small", url: "https://small.oisd.nl/" },
  { name: "Steven Black hosts", url: "https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts" },
] as const;

/** Where the LAN names list is mounted (a ConfigMap the platform renders from the catalog). */
export const lanNames = { directory: "/opt/adguardhome/lan", file: "homelab-lan.txt", configMap: "adguard-lan-names", filterId: 100 } as const;

/**
 * The LAN names as an AdGuard filtering-rule list: `||host^$dnsrewrite=NOERROR;A;<Gateway>` per
 * LAN route, so A queries get the Gateway and AAAA queries an empty answer (AdGuard's $dnsrewrite
 * builds the answer for the rule's type only: internal/filtering/dnsrewrite.go). A local file list
 * is refreshed from disk every `filters_update_interval` hours, so a new app resolves at home
 * within the hour without touching the seeded configuration.
 */
export function lanNamesList(routes: readonly LanRoute[], gateways: Readonly<Partial<Record<LanRoute["cluster"], string>>>): string {
  const lines = routes.flatMap((r) => {
    const ip = gateways[r.cluster];
    return ip ? [`||${r.hostname}^$dnsrewrite=NOERROR;A;${ip}`] : [];
  });
  return ["! Title: Homelab LAN names (rendered by the homelab program from the app catalog)", ...lines, ""].join("\n");
}

/**
 * DNS over UDP/TCP 53, DoT 853 and DoH 443 with the cert-manager certificate, upstreams over DoH,
 * the blocklists and the LAN names list, and one admin whose password hash External Secrets
 * fills in from Bitwarden (the only template action: `{{ .passwordHash }}`). It seeds the volume
 * once; AdGuard owns the file afterwards.
 */
export function adguardSeedConfig(domain: string): string {
  const lists = [
    ...adguardBlocklists.map((f, i) => ({ url: f.url as string, name: f.name as string, id: i + 1 })),
    { url: `${lanNames.directory}/${lanNames.file}`, name: "Homelab LAN names", id: lanNames.filterId },
  ];
  const filters = lists.map((f) => `  - enabled: true\n    url: ${f.url}\n    name: ${f.name}\n    id: ${f.id}`).join("\n");
  return [
    "http:",
    "  address: 0.0.0.0:3000",
    "users:",
    "  - name: admin",
    "    password: {{ .passwordHash }}",
    "dns:",
    "  bind_hosts:",
    "    - 0.0.0.0",
    "  port: 53",
    "  upstream_dns:",
    "    - https://dns.quad9.net/dns-query",
    "    - https://cloudflare-dns.com/dns-query",
    "  bootstrap_dns:",
    "    - 9.9.9.9",
    "    - 1.1.1.1",
    "tls:",
    "  enabled: true",
    `  server_name: dns.${domain}`,
    "  port_https: 443",
    "  port_dns_over_tls: 853",
    "  certificate_path: /certs/tls.crt",
    "  private_key_path: /certs/tls.key",
    "filters:",
    filters,
    // A local list is read only from paths matching these patterns (v0.107.53+,
    // internal/filtering/filter.go `reader`); its file is re-read every hour.
    "filtering:",
    "  protection_enabled: true",
    "  filtering_enabled: true",
    "  filters_update_interval: 1",
    "  safe_fs_patterns:",
    "    - /opt/adguardhome/work/userfilters/*",
    `    - ${lanNames.directory}/*`,
    "schema_version: 29",
    "",
  ].join("\n");
}
