import { strict as assert } from "node:assert";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as cloudflare from "@pulumi/cloudflare";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as oci from "@pulumi/oci";
import { types } from "../policies/types";

/** `__pulumiType` is set on every SDK class at run time but marked @internal in the typings. */
const tokenOf = (resourceClass: object): string | undefined => (resourceClass as { __pulumiType?: string }).__pulumiType;

/** The pack keeps type tokens as strings; each must equal the SDK's own token. */
describe("policy type tokens", () => {
  const sdk: Record<keyof typeof types, string | undefined> = {
    stack: "pulumi:pulumi:Stack",
    ociInstance: tokenOf(oci.core.Instance),
    ociVolume: tokenOf(oci.core.Volume),
    ociVcn: tokenOf(oci.core.Vcn),
    ociSecurityList: tokenOf(oci.core.SecurityList),
    ociNsgRule: tokenOf(oci.core.NetworkSecurityGroupSecurityRule),
    ociBucket: tokenOf(oci.objectstorage.Bucket),
    ociLifecyclePolicy: tokenOf(oci.objectstorage.ObjectLifecyclePolicy),
    ociLoadBalancer: tokenOf(oci.loadbalancer.LoadBalancer),
    ociAutonomousDatabase: tokenOf(oci.database.AutonomousDatabase),
    ociDbSystem: tokenOf(oci.database.DbSystem),
    ociDedicatedVmHost: tokenOf(oci.core.DedicatedVmHost),
    ociOkeCluster: tokenOf(oci.containerengine.Cluster),
    cloudflareDnsRecord: tokenOf(cloudflare.DnsRecord),
    cloudflareTunnelConfig: tokenOf(cloudflare.ZeroTrustTunnelCloudflaredConfig),
    cloudflareAccessApplication: tokenOf(cloudflare.ZeroTrustAccessApplication),
    kubernetesService: tokenOf(k8s.core.v1.Service),
    kubernetesSecret: tokenOf(k8s.core.v1.Secret),
    proxmoxVm: tokenOf(proxmox.VmLegacy),
    commandRemote: tokenOf(command.remote.Command),
    commandCopyToRemote: tokenOf(command.remote.CopyToRemote),
    commandLocal: tokenOf(command.local.Command),
    // CustomResource registers `kubernetes:<apiVersion>:<kind>`; the platform plan spec checks the real resource.
    argoApplication: `kubernetes:${"argoproj.io/v1alpha1"}:${"Application"}`,
  };
  for (const [key, token] of Object.entries(types)) {
    it(`${key} is ${token}`, () => assert.equal(token, sdk[key as keyof typeof types]));
  }
});
