/**
 * What the cloud stack exports and the home stacks read through their StackReference. One
 * list, so that the producer and the consumers cannot drift apart; `secret` outputs stay
 * secrets on both sides.
 */
export const cloudOutputs = {
  domain: { secret: false, description: "the zone every hostname lives in" },
  omniApiUrl: { secret: false, description: "Omni API and UI (direct, TCP 443; omnictl and talosctl are gRPC), Authentik SAML" },
  omniSiderolinkUrl: { secret: false, description: "Omni SideroLink API where machines join (direct, TCP 8090, WireGuard over gRPC, join token)" },
  omniKubernetesProxyUrl: { secret: false, description: "Omni's Kubernetes API proxy (kubeconfigs from Omni point here)" },
  siderolinkKernelArgs: {
    secret: true,
    optional: true,
    description: "kernel arguments that join a Talos machine to Omni (carry the join token); absent until homelab:omniJoinToken is set",
  },
  mgmtPublicIp: { secret: false, description: "public IPv4 of the management VM, where Omni's two DNS-only names point" },
  mgmtProjectDigest: { secret: false, description: "sha256 of the management VM's Compose project bundle" },
  mgmtResticPassword: { secret: true, description: "restic password of the management VM's backups (keep a copy offline)" },
  authentikIssuerUrl: { secret: false, description: "Authentik base URL for OIDC issuers" },
  backupS3Endpoint: { secret: false, description: "S3-compatible endpoint of the backup bucket" },
  backupBucket: { secret: false, description: "name of the backup bucket" },
  backupRegion: { secret: false, description: "OCI region of the backup bucket (the S3 API's region)" },
  backupAccessKeyId: { secret: true, description: "S3 access key id for restic, Velero and Volsync" },
  backupSecretKey: { secret: true, description: "S3 secret key for restic, Velero and Volsync" },
  tunnelIds: { secret: false, description: "tunnel id per location (mgmt, cloud, prod)" },
  prodTunnelToken: { secret: true, description: "connector token of the PROD in-cluster cloudflared" },
  cloudTunnelToken: { secret: true, description: "connector token of the CLOUD in-cluster cloudflared" },
  oidcClientSecrets: { secret: true, description: "OIDC client secret per app, for the apps' Kubernetes secrets" },
  serviceAccountTokens: { secret: true, description: "Authentik API token per service account (ci-github, argocd, backup, n8n, and each cluster's outpost)" },
  twingateNetwork: { secret: false, description: "Twingate network name (<name>.twingate.com) the PROD connector dials" },
  twingateConnectorAccessToken: { secret: true, description: "access token of the PROD Twingate connector (home end of the NFS path)" },
  twingateConnectorRefreshToken: { secret: true, description: "refresh token of the PROD Twingate connector" },
} as const;
export type CloudOutputName = keyof typeof cloudOutputs;
export interface CloudOutputSpec {
  secret: boolean;
  optional?: boolean;
  description: string;
}
