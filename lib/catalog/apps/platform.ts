/** The platform of every cluster: CNI, certificates, secrets, storage, DNS, tunnel, databases, GitOps, backups. */
import { argocdValues } from "../../platform/charts/argocd";
import { certManagerObjects, certManagerValues } from "../../platform/charts/cert-manager";
import { ciliumObjects, ciliumValues } from "../../platform/charts/cilium";
import { cloudnativePgValues } from "../../platform/charts/cloudnative-pg";
import { externalDnsValues } from "../../platform/charts/external-dns";
import { bitwardenTokenSecret, externalSecretsObjects, externalSecretsValues } from "../../platform/charts/external-secrets";
import { localPathValues, longhornValues, nfsCsiObjects, nfsCsiValues } from "../../platform/charts/storage";
import { twingateConnectorSecret, twingateValues } from "../../platform/charts/twingate";
import { veleroCredentialsSecret, veleroValues } from "../../platform/charts/velero";
import { outpostPort } from "../../routes";
import { serviceKeyPath } from "../../twingate/nfs-path";
import { volsyncValues } from "../../platform/charts/volsync";
import { clusterNames, defineApp, groups } from "../types";

const admin = [groups.admin] as const;
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
    // The operator once; the agent and its Envoy on every node, control planes included.
    placement: { kind: "cluster", clusters: allClusters, namespace: "kube-system", syncWave: 0, resources: { cpuM: 30, memoryMi: 96 }, perNode: { cpuM: 100, memoryMi: 288, on: "all" } },
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
    // Hubble UI has no sign-in of its own: Access, then the outpost (admin group), in the path.
    auth: "outpost",
    firstBoot: { mode: "closed", reason: "a read-only UI with no accounts; Cloudflare Access and the outpost admit only the admin" },
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
    // The UI, CSI sidecars and driver deployer once; manager, engine image, instance manager and CSI plugin per worker.
    placement: { kind: "cluster", clusters: ["prod"], namespace: "longhorn-system", syncWave: 1, resources: { cpuM: 100, memoryMi: 256 }, perNode: { cpuM: 200, memoryMi: 512, on: "schedulable" } },
    deploy: { kind: "chart", chart: "longhorn", values: longhornValues },
    storageClass: "longhorn",
    privileged: true,
    exposure: { kind: "tunnel", subdomain: "longhorn", service: "frontend", port: 80 },
    // The Longhorn UI has no accounts: whoever reaches it administers the volumes.
    auth: "outpost",
    firstBoot: { mode: "closed", reason: "no accounts or installer; Cloudflare Access and the outpost admit only the admin" },
    backup: "none",
    stories: ["3.1.3"],
  }),
  defineApp({
    name: "nfs-csi",
    title: "NFS CSI driver",
    description: "nfs-media storage class to the Proxmox exports",
    tier: "admin",
    groups: admin,
    // The controller once; the node plugin (three containers, the chart's default requests) on every
    // node. Not on DEV: no app there mounts the media library, and DEV's 4 GB keep 20 % free without it.
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "kube-system", syncWave: 1, resources: { cpuM: 30, memoryMi: 96 }, perNode: { cpuM: 30, memoryMi: 60, on: "all" } },
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
    // Not on DEV: nothing there is published in public DNS (DEV's LAN names come from AdGuard on PROD).
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "external-dns", syncWave: 2, resources: { cpuM: 10, memoryMi: 64 } },
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
    // DEV has no tunnel: its ArgoCD is reached on DEV's LAN Gateway (lib/routes.ts lanRoutes).
    exposure: { kind: "tunnel", subdomain: "argocd", service: "server", port: 80 },
    auth: "oidc",
    sso: {
      // Argo CD's callback without Dex is /auth/callback (argo-cd common/common.go CallbackEndpoint);
      // `argocd login --sso` listens on localhost:8085 by default.
      oidc: { callbacks: ["/auth/callback"], otherRedirectUris: ["http://localhost:8085/auth/callback"], appChecksGroups: true },
      // ArgoCD reads `$argocd-oidc:clientSecret` from a Secret labelled part-of=argocd.
      secret: { clientIdKey: false, labels: { "app.kubernetes.io/part-of": "argocd" } },
    },
    firstBoot: { mode: "closed", reason: "the local admin is disabled (admin.enabled: false); only Authentik's admin group signs in, break-glass through Omni's kubectl" },
    backup: "standard",
    stories: ["1.4.1", "1.4.3"],
  }),
  defineApp({
    name: "authentik-outpost",
    role: "auth-proxy",
    title: "Authentik outpost",
    description: "Signs people in before they reach apps without SSO of their own",
    tier: "admin",
    groups: admin,
    // Wherever an `outpost` app is routed (PROD, CLOUD). Wave 4: it needs Authentik on the
    // management VM, and nothing else waits for it.
    placement: { kind: "cluster", clusters: ["prod", "cloud"], namespace: "authentik-outpost", syncWave: 4, resources: { cpuM: 20, memoryMi: 96 } },
    deploy: {
      kind: "template",
      // Authentik's manual Kubernetes deployment (docs: add-secure-apps/outposts/manual-deploy-kubernetes):
      // AUTHENTIK_HOST, AUTHENTIK_INSECURE, AUTHENTIK_TOKEN; HTTP on 9000, metrics on 9300.
      spec: (ctx) => ({
        image: "authentikProxy",
        containerPort: outpostPort,
        env: { AUTHENTIK_HOST: ctx.authentikUrl, AUTHENTIK_INSECURE: "false" },
        secretEnv: { AUTHENTIK_TOKEN: ["authentik-outpost-token", "token"] },
        metricsPort: 9300,
      }),
    },
    // The token of this cluster's outpost service account (lib/identity/authentik.ts), from Pulumi.
    pulumiSecrets: [{ name: "authentik-outpost-token", keys: { token: { from: "outpostToken" } } }],
    exposure: { kind: "internal" },
    auth: "none",
    backup: "none",
    stories: ["3.3.2"],
  }),
  defineApp({
    name: "velero",
    title: "Velero",
    description: "Cluster backups to OCI Object Storage",
    tier: "admin",
    groups: admin,
    // The server once; the node agent (file-system backups) on every node that runs workloads.
    placement: { kind: "cluster", clusters: allClusters, namespace: "velero", syncWave: 2, resources: { cpuM: 30, memoryMi: 96 }, perNode: { cpuM: 20, memoryMi: 64, on: "schedulable" } },
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
