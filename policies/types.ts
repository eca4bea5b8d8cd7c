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
  ociNsg: "oci:Core/networkSecurityGroup:NetworkSecurityGroup",
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
  twingateResource: "twingate:index/twingateResource:TwingateResource",
  kubernetesService: "kubernetes:core/v1:Service",
  kubernetesSecret: "kubernetes:core/v1:Secret",
  proxmoxVm: "proxmoxve:index/vmLegacy:VmLegacy",
  commandRemote: "command:remote:Command",
  commandCopyToRemote: "command:remote:CopyToRemote",
  argoApplication: "kubernetes:argoproj.io/v1alpha1:Application",
} as const;

/** The prefix of provider resources (their props carry credentials by design). */
export const providerTypePrefix = "pulumi:providers:";
