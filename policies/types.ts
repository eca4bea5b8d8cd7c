/**
 * The resource type tokens the policies look at. Kept as strings so that the pack does not
 * load the provider SDKs; `tests/policies.types.spec.ts` checks each one against the SDK's own
 * `__pulumiType`, so a provider rename cannot silently switch a policy off.
 */
export const types = {
  stack: "pulumi:pulumi:Stack",
  ociInstance: "oci:Core/instance:Instance",
  ociVolume: "oci:Core/volume:Volume",
  ociVcn: "oci:Core/vcn:Vcn",
  ociSecurityList: "oci:Core/securityList:SecurityList",
  ociNsgRule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
  ociBucket: "oci:ObjectStorage/bucket:Bucket",
  ociLifecyclePolicy: "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy",
  ociLoadBalancer: "oci:LoadBalancer/loadBalancer:LoadBalancer",
  ociAutonomousDatabase: "oci:Database/autonomousDatabase:AutonomousDatabase",
  ociDbSystem: "oci:Database/dbSystem:DbSystem",
  ociDedicatedVmHost: "oci:Core/dedicatedVmHost:DedicatedVmHost",
  ociOkeCluster: "oci:ContainerEngine/cluster:Cluster",
  cloudflareDnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
  cloudflareTunnelConfig: "cloudflare:index/zeroTrustTunnelCloudflaredConfig:ZeroTrustTunnelCloudflaredConfig",
  cloudflareAccessApplication: "cloudflare:index/zeroTrustAccessApplication:ZeroTrustAccessApplication",
  kubernetesService: "kubernetes:core/v1:Service",
  kubernetesSecret: "kubernetes:core/v1:Secret",
  proxmoxVm: "proxmoxve:index/vmLegacy:VmLegacy",
  commandRemote: "command:remote:Command",
  commandCopyToRemote: "command:remote:CopyToRemote",
  commandLocal: "command:local:Command",
  argoApplication: "kubernetes:argoproj.io/v1alpha1:Application",
} as const;

/** The prefix of provider resources (their props carry credentials by design). */
export const providerTypePrefix = "pulumi:providers:";

/** Labels and comments the program writes so that the policies can read the catalog back. */
export const markers = {
  /** Kubernetes label: `lan` on Services that the catalog marks LAN-only. */
  exposureLabel: "homelab.dev/exposure",
  /** Kubernetes label: the cluster a Kubernetes object belongs to (dev, prod, cloud). */
  clusterLabel: "homelab.dev/cluster",
  /** Prefix of the Cloudflare DNS record comment that carries an app's catalog identity. */
  dnsCommentPrefix: "homelab:",
  /** ArgoCD Application label: the sync wave (0–4) the catalog gives the app. */
  waveLabel: "homelab.dev/wave",
  /** Pulumi's await annotation on an Application: what "ready" means before the next wave. */
  waitForAnnotation: "pulumi.com/waitFor",
  /** Instance metadata key of the management VM's Compose project (base64 tar.gz, Authentik blueprints inside). */
  projectMetadataKey: "homelab-project",
  /** The tunnel's catch-all service: anything not routed gets a 404 from Cloudflare. */
  catchAllService: "http_status:404",
} as const;

/** What the offline plan puts in place of every secret value. */
export const secretPlaceholder = "[secret]";
