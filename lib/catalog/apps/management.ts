/** Apps of the OCI management VM (oci-mgmt, Docker Compose: lib/management-vm). */
import { defineApp, groups } from "../types";

const admin = [groups.admin] as const;
const family = [groups.family] as const;

export const managementApps = [
  defineApp({
    name: "authentik",
    role: "identity-provider",
    title: "Authentik",
    description: "Single sign-on for the family and the admin",
    tier: "family",
    groups: family,
    placement: { kind: "mgmt-vm", composeService: "authentik-server" },
    exposure: { kind: "tunnel", subdomain: "auth", port: 9000 },
    auth: "app-native",
    // AUTHENTIK_BOOTSTRAP_PASSWORD/TOKEN set akadmin on the first start: no initial-setup flow stays open.
    firstBoot: { mode: "admin-from-secret", secret: "homelab:authentikBootstrapPassword" },
    // The identity provider itself: no application of its own in its portal.
    sso: { portal: false },
    backup: "critical",
    backupSize: { volumesGi: 0.2, databaseGi: 0.1 },
    stories: ["3.3.1"],
  }),
  defineApp({
    name: "authentik-admin",
    title: "Authentik admin",
    description: "Identity administration",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "authentik-server" },
    exposure: { kind: "internal" },
    auth: "app-native",
    sso: { portal: true, link: { app: "authentik", path: "/if/admin/" } },
    backup: "none",
    stories: ["3.3.3"],
  }),
  defineApp({
    name: "omni",
    role: "cluster-manager",
    title: "Omni",
    description: "Talos cluster management",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "omni" },
    // gRPC (omnictl, talosctl, the UI's API): straight to the VM, not through the tunnel, which
    // does not carry gRPC on public hostnames (lib/ingress-exceptions.ts). Omni's own SAML login
    // and signed-request auth guard it; Cloudflare Access cannot stand in front of a DNS-only name.
    exposure: { kind: "direct", subdomain: "omni", exception: "omni-api" },
    auth: "saml",
    firstBoot: { mode: "closed", reason: "no local accounts: sign-in is SAML through Authentik, and the initial users are homelab:adminEmails" },
    backup: "critical",
    backupSize: { volumesGi: 0.5 },
    stories: ["1.3.2", "3.3.1"],
  }),
  defineApp({
    name: "omni-siderolink",
    role: "machine-join",
    title: "Omni SideroLink API",
    description: "Where Talos machines join Omni (WireGuard over gRPC, join token)",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "omni" },
    exposure: { kind: "direct", subdomain: "omni-siderolink", exception: "omni-siderolink", clients: "machines" },
    auth: "app-native",
    firstBoot: { mode: "closed", reason: "machines join only with Omni's join token; there is no page for people" },
    backup: "none",
    stories: ["1.3.2", "1.3.3"],
  }),
  defineApp({
    name: "omni-kube",
    role: "kubernetes-proxy",
    title: "Omni Kubernetes proxy",
    // HTTP and WebSocket (kubectl, Pulumi), which the tunnel carries: it stays behind it.
    description: "kubectl and CI reach the clusters through Omni (Omni OIDC or service account)",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "omni" },
    exposure: { kind: "tunnel", subdomain: "omni-kube", port: 8100, scheme: "https", clients: "machines" },
    auth: "app-native",
    firstBoot: { mode: "closed", reason: "every request carries Omni OIDC or a service-account key; there is nothing to claim" },
    backup: "none",
    stories: ["1.3.2", "3.5.2"],
  }),
  defineApp({
    name: "mgmt-ssh",
    title: "Management VM SSH",
    description: "Admin SSH to oci-mgmt through the tunnel (cloudflared access ssh), key-only",
    tier: "admin",
    groups: admin,
    placement: { kind: "mgmt-vm", composeService: "host" },
    exposure: { kind: "tunnel", subdomain: "ssh-mgmt", port: 22, scheme: "ssh" },
    auth: "app-native",
    firstBoot: { mode: "closed", reason: "sshd takes only the admin's key (homelab:sshPublicKey), no passwords" },
    sso: { portal: false },
    backup: "none",
    stories: ["3.2.1"],
  }),
] as const;
