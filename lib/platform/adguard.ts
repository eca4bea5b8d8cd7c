/** AdGuard Home's first configuration (story 2.5.1), seeded once from an ExternalSecret template. */

/** Blocklists AdGuard Home starts with. */
export const adguardBlocklists = [
  { name: "AdGuard DNS filter", url: "https://adguardteam.github.io/HostlistsRegistry/assets/filter_1.txt" },
  { name: "OISD small", url: "https://small.oisd.nl/" },
  { name: "Steven Black hosts", url: "https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts" },
] as const;

/**
 * DNS over UDP/TCP 53, DoT 853 and DoH 443 with the cert-manager certificate, upstreams over DoH,
 * the blocklists, and one admin whose password hash External Secrets fills in from Bitwarden (the
 * only template action: `{{ .passwordHash }}`). It seeds the volume once; AdGuard owns the file afterwards.
 */
export function adguardSeedConfig(domain: string): string {
  const filters = adguardBlocklists.map((f, i) => `  - enabled: true\n    url: ${f.url}\n    name: ${f.name}\n    id: ${i + 1}`).join("\n");
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
    "schema_version: 29",
    "",
  ].join("\n");
}
