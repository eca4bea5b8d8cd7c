/**
 * Every version the homelab runs, in one place so that Renovate can propose updates
 * (see renovate.json: the `# renovate:` comments are its regex-manager anchors).
 *
 * Talos and Kubernetes are pinned to the minor lines the stories require (Talos v1.9.x,
 * Kubernetes v1.32.x); config may choose another patch of the same line, never another minor
 * (see `lib/config/fields.ts`), because the machine-config schema and Omni templates are checked
 * against the v1.9 schema.
 */
export const versions = {
  // renovate: datasource=github-releases depName=siderolabs/talos
  talos: "v1.9.6",
  // renovate: datasource=github-releases depName=kubernetes/kubernetes
  kubernetes: "v1.32.3",
  // renovate: datasource=docker depName=ghcr.io/siderolabs/omni
  omni: "v0.48.3",
  // Server and @goauthentik/api (package.json) move together: the blueprint is typed with the client.
  // renovate: datasource=docker depName=ghcr.io/goauthentik/server
  authentik: "2026.8.3",
  // renovate: datasource=docker depName=docker.io/library/postgres
  postgres: "16.8",
  // renovate: datasource=docker depName=docker.io/restic/restic
  restic: "0.18.0",
  // renovate: datasource=docker depName=docker.io/goacme/lego (v4: the CLI that files/acme.sh drives; v5 changed it)
  lego: "v4.35.2",
  // Approves the kubelets' serving certificates (rotate-server-certificates); Talos docs "Deploying Metrics Server".
  // renovate: datasource=github-releases depName=alex1989hu/kubelet-serving-cert-approver
  kubeletServingCertApprover: "v0.11.0",
  // The image family the OCI image data source looks up (operatingSystemVersion).
  // renovate: datasource=docker depName=docker.io/library/ubuntu
  ubuntu: "24.04",
  // renovate: datasource=github-releases depName=actions/runner (the CI runner VM's first install; it updates itself after)
  actionsRunner: "2.337.0",
  // sha256 of actions-runner-linux-x64-<actionsRunner>.tar.gz from the release notes: change it with the version.
  actionsRunnerSha256: "70920811a4f8ad4328818682bca5c6469c1c942fab52448868071d0063816613",
  // renovate: datasource=custom.debian-cloud depName=debian-12-generic-amd64 (a dated build of cloud.debian.org/images/cloud/bookworm/)
  debianCloudImage: "20231228-1609",
  // sha512 of debian-12-generic-amd64-<debianCloudImage>.qcow2 (the build's SHA512SUMS): change it with the build.
  debianCloudImageSha512: "d2fbcf11fb28795842e91364d8c7b69f1870db09ff299eb94e4fbbfa510eb78d141e74c1f4bf6dfa0b7e33d0c3b66e6751886feadb4e9916f778bab1776bdf1b",
} as const;

/** Container images the program deploys directly (Compose on the VM, app-template in the clusters). */
export const images = {
  // renovate: datasource=docker depName=docker.io/adguard/adguardhome
  adguardHome: { repository: "docker.io/adguard/adguardhome", tag: "v0.107.59" },
  // renovate: datasource=docker depName=ghcr.io/home-assistant/home-assistant
  homeAssistant: { repository: "ghcr.io/home-assistant/home-assistant", tag: "2025.4.1" },
  // renovate: datasource=docker depName=ghcr.io/advplyr/audiobookshelf
  audiobookshelf: { repository: "ghcr.io/advplyr/audiobookshelf", tag: "2.20.0" },
  // renovate: datasource=docker depName=docker.io/gotson/komga
  komga: { repository: "docker.io/gotson/komga", tag: "1.21.2" },
  // renovate: datasource=docker depName=docker.io/rommapp/romm
  romm: { repository: "docker.io/rommapp/romm", tag: "3.8.3" },
  // renovate: datasource=docker depName=docker.io/library/nextcloud
  nextcloud: { repository: "docker.io/library/nextcloud", tag: "31.0.2-apache" },
  // renovate: datasource=docker depName=docker.io/vaultwarden/server
  vaultwarden: { repository: "docker.io/vaultwarden/server", tag: "1.37.2" },
  // renovate: datasource=docker depName=docker.io/ckulka/baikal
  baikal: { repository: "docker.io/ckulka/baikal", tag: "0.10.1-nginx" },
  // renovate: datasource=docker depName=ghcr.io/g0ldyy/comet
  comet: { repository: "ghcr.io/g0ldyy/comet", tag: "v2.58.0" },
  // renovate: datasource=docker depName=docker.io/deluan/navidrome
  navidrome: { repository: "docker.io/deluan/navidrome", tag: "0.55.2" },
  // renovate: datasource=docker depName=ghcr.io/linuxserver/lidarr
  lidarr: { repository: "ghcr.io/linuxserver/lidarr", tag: "2.10.3" },
  // renovate: datasource=docker depName=docker.io/glanceapp/glance
  glance: { repository: "docker.io/glanceapp/glance", tag: "v0.7.13" },
  // renovate: datasource=docker depName=ghcr.io/immich-app/immich-server
  immichServer: { repository: "ghcr.io/immich-app/immich-server", tag: "v3.1.0" },
  // renovate: datasource=docker depName=ghcr.io/immich-app/immich-machine-learning
  immichMachineLearning: { repository: "ghcr.io/immich-app/immich-machine-learning", tag: "v3.1.0" },
  // renovate: datasource=docker depName=docker.io/valkey/valkey
  valkey: { repository: "docker.io/valkey/valkey", tag: "8.1.1" },
  // renovate: datasource=docker depName=docker.io/n8nio/n8n
  n8n: { repository: "docker.io/n8nio/n8n", tag: "1.89.2" },
  // renovate: datasource=docker depName=ghcr.io/mealie-recipes/mealie
  mealie: { repository: "ghcr.io/mealie-recipes/mealie", tag: "v2.8.0" },
  // renovate: datasource=docker depName=quay.io/invidious/invidious
  invidious: { repository: "quay.io/invidious/invidious", tag: "2025.04.18-b0ee3a5" },
  // renovate: datasource=docker depName=docker.io/binwiederhier/ntfy
  ntfy: { repository: "docker.io/binwiederhier/ntfy", tag: "v2.11.0" },
  // renovate: datasource=docker depName=docker.io/twingate/client (Twingate publishes and documents only `latest`: pin its digest at the first deployment, docs/network-paths.md)
  twingateClient: { repository: "docker.io/twingate/client", tag: "latest" },
  // renovate: datasource=docker depName=docker.io/cloudflare/cloudflared
  cloudflared: { repository: "docker.io/cloudflare/cloudflared", tag: "2025.4.0" },
  // renovate: datasource=docker depName=ghcr.io/cloudnative-pg/postgresql
  postgres: { repository: "ghcr.io/cloudnative-pg/postgresql", tag: "16.8" },
  // renovate: datasource=docker depName=ghcr.io/tensorchord/cloudnative-vectorchord
  postgresVectors: { repository: "ghcr.io/tensorchord/cloudnative-vectorchord", tag: "16.8-0.3.0" },
  // renovate: datasource=docker depName=docker.io/curlimages/curl
  setup: { repository: "docker.io/curlimages/curl", tag: "8.13.0" },
  // Authentik's proxy outpost runs the server's own version (Authentik flags an outpost whose
  // version differs as outdated), so its tag follows `versions.authentik` and has no anchor of its own.
  authentikProxy: { repository: "ghcr.io/goauthentik/proxy", tag: versions.authentik },
  // v1.14.x is the Velero 1.18 line (plugin README matrix); v1.14.3 is the first that keeps objects
  // intact with checksumAlgorithm "" on S3-compatible stores (velero#9951, plugin PR #313).
  // renovate: datasource=docker depName=docker.io/velero/velero-plugin-for-aws
  veleroPluginAws: { repository: "docker.io/velero/velero-plugin-for-aws", tag: "v1.14.3" },
} as const;
export type ImageName = keyof typeof images;

/** Gateway API CRDs (standard channel), installed by Pulumi before Cilium. */
// renovate: datasource=github-releases depName=kubernetes-sigs/gateway-api
export const gatewayApiVersion = "v1.2.1";

/** Helm charts installed by Pulumi or ArgoCD: repository, chart and version. */
export const charts = {
  // renovate: datasource=helm registryUrl=https://helm.cilium.io depName=cilium
  cilium: { repo: "https://helm.cilium.io", chart: "cilium", version: "1.17.3" },
  // renovate: datasource=helm registryUrl=https://argoproj.github.io/argo-helm depName=argo-cd
  argocd: { repo: "https://argoproj.github.io/argo-helm", chart: "argo-cd", version: "7.8.26" },
  // renovate: datasource=helm registryUrl=https://charts.jetstack.io depName=cert-manager
  certManager: { repo: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.21.1" },
  // renovate: datasource=helm registryUrl=https://charts.external-secrets.io depName=external-secrets
  externalSecrets: { repo: "https://charts.external-secrets.io", chart: "external-secrets", version: "2.9.0" },
  // renovate: datasource=helm registryUrl=https://kubernetes-sigs.github.io/external-dns depName=external-dns
  externalDns: { repo: "https://kubernetes-sigs.github.io/external-dns", chart: "external-dns", version: "1.21.1" },
  // renovate: datasource=helm registryUrl=https://vmware-tanzu.github.io/helm-charts depName=velero
  velero: { repo: "https://vmware-tanzu.github.io/helm-charts", chart: "velero", version: "12.1.0" },
  // renovate: datasource=helm registryUrl=https://bjw-s-labs.github.io/helm-charts depName=app-template
  appTemplate: { repo: "https://bjw-s-labs.github.io/helm-charts", chart: "app-template", version: "4.1.1" },
  // renovate: datasource=helm registryUrl=https://charts.longhorn.io depName=longhorn
  longhorn: { repo: "https://charts.longhorn.io", chart: "longhorn", version: "1.8.1" },
  // renovate: datasource=helm registryUrl=https://prometheus-community.github.io/helm-charts depName=kube-prometheus-stack
  kubePrometheusStack: {
    repo: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "70.4.2",
  },
  // The CRDs of the prometheus-operator that kube-prometheus-stack runs (19.1.0 ↔ v0.81.0 ↔ KPS 70.4.2),
  // installed by Pulumi before any Application; Renovate moves the two together (renovate.json).
  // renovate: datasource=helm registryUrl=https://prometheus-community.github.io/helm-charts depName=prometheus-operator-crds
  prometheusOperatorCrds: {
    repo: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-operator-crds",
    version: "19.1.0",
  },
  // renovate: datasource=helm registryUrl=https://grafana.github.io/helm-charts depName=loki
  loki: { repo: "https://grafana.github.io/helm-charts", chart: "loki", version: "6.29.0" },
  // renovate: datasource=helm registryUrl=https://grafana.github.io/helm-charts depName=alloy
  alloy: { repo: "https://grafana.github.io/helm-charts", chart: "alloy", version: "1.0.2" },
  // renovate: datasource=helm registryUrl=https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts depName=csi-driver-nfs
  csiDriverNfs: {
    repo: "https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts",
    chart: "csi-driver-nfs",
    version: "4.11.0",
  },
  // renovate: datasource=helm registryUrl=https://twingate.github.io/helm-charts depName=connector
  twingateConnector: { repo: "https://twingate.github.io/helm-charts", chart: "connector", version: "0.1.31" },
  // renovate: datasource=helm registryUrl=https://cloudnative-pg.github.io/charts depName=cloudnative-pg
  cloudnativePg: { repo: "https://cloudnative-pg.github.io/charts", chart: "cloudnative-pg", version: "0.23.2" },
  // renovate: datasource=helm registryUrl=https://charts.containeroo.ch depName=local-path-provisioner
  localPath: { repo: "https://charts.containeroo.ch", chart: "local-path-provisioner", version: "0.0.31" },
  // renovate: datasource=helm registryUrl=https://backube.github.io/helm-charts depName=volsync
  volsync: { repo: "https://backube.github.io/helm-charts", chart: "volsync", version: "0.16.0" },
  // renovate: datasource=helm registryUrl=https://oauth2-proxy.github.io/manifests depName=oauth2-proxy
  oauth2Proxy: { repo: "https://oauth2-proxy.github.io/manifests", chart: "oauth2-proxy", version: "7.12.9" },
} as const;

/** A chart by its key in `charts`. */
export type ChartKey = keyof typeof charts;

/** The minor lines the program accepts: a config naming another line is rejected. */
export const supportedLines = {
  talos: /^v1\.9\.\d+$/,
  kubernetes: /^v1\.32\.\d+$/,
} as const;
