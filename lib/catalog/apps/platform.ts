/** The platform of every cluster: CNI, certificates, secrets, storage, DNS, tunnel, databases, GitOps, backups. */
import { argocdValues } from "../../platform/charts/argocd";
import { certManagerObjects, certManagerValues } from "../../platform/charts/cert-manager";
import { ciliumObjects, ciliumValues } from "../../platform/charts/cilium";
import { cloudnativePgValues } from "../../platform/charts/cloudnative-pg";
import { externalDnsValues } from "../../platform/charts/external-dns";
import { bitwardenTokenSecret, externalSecretsObjects, externalSecretsValues } from "../../platform/charts/external-secrets";
import { oauth2ProxyValues } from "../../platform/charts/oauth2-proxy";
import { localPathValues, longhornValues, nfsCsiObjects, nfsCsiValues } from "../../platform/charts/storage";
import { twingateConnectorSecret, twingateValues } from "../../platform/charts/twingate";
import { veleroCredentialsSecret, veleroValues } from "../../platform/charts/velero";
import { serviceKeyPath } from "../../twingate/nfs-path";
import { volsyncValues } from "../../platform/charts/volsync";
import { clusterNames, defineApp, groups } from "../types";

const admin = [groups.admin] as const;
const family = [groups.family] as const;
const allClusters = clusterNames;

/** Bitwarden key of the Cloudflare token that may edit DNS (DNS-01 and external-dns). */
const cloudflareDnsToken = "homelab-cloudflare-dns-token";

export const platformApps = [
  defineApp({
    name: "cilium",
    title: "Cilium",
    description: "CNI, kube-proxy replacement, Gateway API",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "kube-system", syncWave: 0, resources: { cpuM: 150, memoryMi: 384 } },
    deploy: { kind: "chart", chart: "cilium", values: ciliumValues, bootstrap: 1 },
    objects: ciliumObjects,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["1.5.1", "1.5.2"],
  }),
  defineApp({
    name: "hubble",
    title: "Hubble",
    description: "Network flows",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "kube-system", syncWave: 0, resources: { cpuM: 50, memoryMi: 128 } },
    deploy: { kind: "part-of", app: "cilium", component: "hubble-ui" },
    exposure: { kind: "tunnel", subdomain: "hubble", port: 80 },
    auth: "forward-auth",
    backup: "none",
    stories: ["1.5.1"],
  }),
  defineApp({
    name: "cert-manager",
    title: "cert-manager",
    description: "TLS certificates",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "cert-manager", syncWave: 0, resources: { cpuM: 50, memoryMi: 192 } },
    deploy: { kind: "chart", chart: "certManager", values: certManagerValues },
    bitwardenSecrets: [{ name: "cloudflare-dns-token", keys: { token: cloudflareDnsToken } }],
    objects: certManagerObjects,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.2.1", "2.2.2"],
  }),
  defineApp({
    name: "external-secrets",
    title: "External Secrets",
    description: "Secrets from Bitwarden",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "external-secrets", syncWave: 0, resources: { cpuM: 50, memoryMi: 192 } },
    deploy: { kind: "chart", chart: "externalSecrets", values: externalSecretsValues },
    pulumiSecrets: [{ name: bitwardenTokenSecret, keys: { token: { from: "bitwarden" } } }],
    objects: externalSecretsObjects,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.3.2", "2.3.3"],
  }),
  defineApp({
    name: "local-path",
    title: "local-path provisioner",
    description: "Default storage class on DEV and CLOUD (node disks)",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["dev", "cloud"], namespace: "local-path-storage", syncWave: 1, resources: { cpuM: 10, memoryMi: 32 } },
    deploy: { kind: "chart", chart: "localPath", values: localPathValues },
    storageClass: "local-path",
    // Its helper pods mount the node's data path (hostPath), which Talos' baseline level refuses.
    privileged: true,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.1.1"],
  }),
  defineApp({
    name: "longhorn",
    title: "Longhorn",
    description: "Replicated volumes on PROD",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod"], namespace: "longhorn-system", syncWave: 1, resources: { cpuM: 300, memoryMi: 768 } },
    deploy: { kind: "chart", chart: "longhorn", values: longhornValues },
    storageClass: "longhorn",
    privileged: true,
    exposure: { kind: "tunnel", subdomain: "longhorn", service: "frontend", port: 80 },
    auth: "forward-auth",
    backup: "none",
    stories: ["3.1.3"],
  }),
  defineApp({
    name: "nfs-csi",
    title: "NFS CSI driver",
    description: "nfs-media storage class to the Proxmox exports",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "kube-system", syncWave: 1, resources: { cpuM: 30, memoryMi: 96 } },
    deploy: { kind: "chart", chart: "csiDriverNfs", values: nfsCsiValues },
    objects: nfsCsiObjects,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.1.2"],
  }),
  defineApp({
    name: "twingate-connector",
    title: "Twingate connector",
    description: "Home end of the zero-trust path from CLOUD to the homelab NFS (dials Twingate out)",
    tier: "admin",
    groups: admin,
    // At home only: a connector publishes its own network, and the NFS is at home. Its token
    // pair is minted by the cloud stack (one pair per connector, components/twingate).
    placement: { kind: "cluster", clusters: ["prod"], namespace: "twingate", syncWave: 1, resources: { cpuM: 30, memoryMi: 96 } },
    deploy: { kind: "chart", chart: "twingateConnector", values: twingateValues },
    pulumiSecrets: [
      {
        name: twingateConnectorSecret,
        keys: { TWINGATE_ACCESS_TOKEN: { from: "twingateConnector", token: "access" }, TWINGATE_REFRESH_TOKEN: { from: "twingateConnector", token: "refresh" } },
      },
    ],
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["3.4.2"],
  }),
  defineApp({
    name: "twingate-client",
    title: "Twingate client",
    description: "Headless Twingate client on every CLOUD node: the kubelet's route to the home NFS (TCP 2049)",
    tier: "admin",
    groups: admin,
    // Nothing waits for it: with Twingate or home down, only the media apps wait for their mounts.
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "twingate", syncWave: 1, resources: { cpuM: 40, memoryMi: 128 }, awaitHealth: false },
    deploy: {
      kind: "template",
      // Twingate's container runs headless from the service key at this path, with CAP_NET_ADMIN
      // and /dev/net/tun ("Linux headless mode", docker run … --device /dev/net/tun --cap-add
      // NET_ADMIN twingate/client); on the host network its TUN route serves the kubelet.
      spec: () => ({ image: "twingateClient", secretFiles: [{ secret: "twingate-client", key: "service_key.json", path: serviceKeyPath }], nodeAgent: { devices: ["/dev/net/tun"] } }),
    },
    pulumiSecrets: [{ name: "twingate-client", keys: { "service_key.json": { from: "twingateServiceKey" } } }],
    privileged: true,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["3.4.2", "4.1.1"],
  }),
  defineApp({
    name: "external-dns",
    title: "external-dns",
    description: "DNS records for in-cluster routes",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "external-dns", syncWave: 2, resources: { cpuM: 10, memoryMi: 64 } },
    deploy: { kind: "chart", chart: "externalDns", values: externalDnsValues },
    bitwardenSecrets: [{ name: "cloudflare-dns-token", keys: { token: cloudflareDnsToken } }],
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["2.3.1"],
  }),
  defineApp({
    name: "cloudflared",
    title: "cloudflared",
    description: "The cluster's Cloudflare Tunnel connector (zero open ports)",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "cloudflared", syncWave: 2, resources: { cpuM: 10, memoryMi: 64 } },
    deploy: {
      kind: "template",
      spec: () => ({
        image: "cloudflared",
        containerPort: 2000,
        args: ["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:2000", "run"],
        secretEnv: { TUNNEL_TOKEN: ["cloudflared-token", "token"] },
        replicas: 2,
        metricsPort: 2000,
      }),
    },
    pulumiSecrets: [{ name: "cloudflared-token", keys: { token: { from: "tunnelToken" } } }],
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["3.4.1"],
  }),
  defineApp({
    name: "cloudnative-pg",
    title: "CloudNativePG",
    description: "PostgreSQL operator for the apps' databases",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "cnpg-system", syncWave: 2, resources: { cpuM: 30, memoryMi: 128 } },
    deploy: { kind: "chart", chart: "cloudnativePg", values: cloudnativePgValues },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["1.4.4"],
  }),
  defineApp({
    name: "argocd",
    title: "Argo CD",
    description: "GitOps",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "argocd", syncWave: 0, resources: { cpuM: 200, memoryMi: 512 } },
    deploy: { kind: "chart", chart: "argocd", values: argocdValues, bootstrap: 2 },
    exposure: { kind: "tunnel", subdomain: "argocd", service: "server", port: 80 },
    auth: "oidc",
    // ArgoCD reads `$argocd-oidc:clientSecret` from a Secret labelled part-of=argocd.
    sso: { secret: { clientIdKey: false, labels: { "app.kubernetes.io/part-of": "argocd" } } },
    backup: "standard",
    stories: ["1.4.1", "1.4.3"],
  }),
  defineApp({
    name: "oauth2-proxy",
    title: "oauth2-proxy",
    description: "SSO in front of family apps without native SSO",
    tier: "family",
    groups: family,
    placement: { kind: "cluster", clusters: ["cloud"], namespace: "oauth2-proxy", syncWave: 2, resources: { cpuM: 10, memoryMi: 48 } },
    deploy: { kind: "chart", chart: "oauth2Proxy", values: oauth2ProxyValues },
    exposure: { kind: "internal" },
    auth: "oidc",
    // Its callback is on the hosts of the apps it guards; the chart reads client-id/client-secret/cookie-secret.
    sso: {
      anySubdomain: true,
      callbackPaths: ["/oauth2/callback"],
      secret: { name: "oauth2-proxy", clientIdKey: "client-id", clientSecretKey: "client-secret", extraKeys: { "cookie-secret": { from: "cookieSecret" } } },
    },
    backup: "none",
    stories: ["3.3.2"],
  }),
  defineApp({
    name: "velero",
    title: "Velero",
    description: "Cluster backups to OCI Object Storage",
    tier: "admin",
    groups: admin,
    placement: { kind: "cluster", clusters: allClusters, namespace: "velero", syncWave: 2, resources: { cpuM: 50, memoryMi: 128 } },
    deploy: { kind: "chart", chart: "velero", values: veleroValues },
    pulumiSecrets: [{ name: veleroCredentialsSecret, keys: { cloud: { from: "backup", part: "credentialsFile" } } }],
    privileged: true,
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["4.5.1"],
  }),
  defineApp({
    name: "volsync",
    title: "VolSync",
    description: "Restic copies of the critical and bulk volumes, and the restore drills of the VM",
    tier: "admin",
    groups: admin,
    // Where the catalog has critical volumes (Home Assistant on PROD; Vaultwarden, Baïkal on CLOUD).
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "volsync-system", syncWave: 2, resources: { cpuM: 20, memoryMi: 64 } },
    deploy: { kind: "chart", chart: "volsync", values: volsyncValues },
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["4.5.2"],
  }),
] as const;
