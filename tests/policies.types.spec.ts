import { strict as assert } from "node:assert";
import * as proxmox from "@muhlba91/pulumi-proxmoxve";
import * as cloudflare from "@pulumi/cloudflare";
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as oci from "@pulumi/oci";
import * as twingate from "@twingate/pulumi-twingate";
import { rootPulumiStackTypeName } from "@pulumi/pulumi/runtime/stack";
import { crdSchemaPath, readLock } from "../lib/validate/schemas";
import { types } from "../policies/types";
import { examplePlan } from "./helpers";

/** `__pulumiType` is set on every SDK class at run time but marked @internal in the typings. */
const tokenOf = (resourceClass: object): string | undefined => (resourceClass as { __pulumiType?: string }).__pulumiType;

/** The pack keeps type tokens as strings; each must equal the SDK's own token. */
describe("policy type tokens", () => {
  const sdk: Record<keyof typeof types, string | undefined> = {
    stack: rootPulumiStackTypeName,
    ociInstance: tokenOf(oci.core.Instance),
    ociVolume: tokenOf(oci.core.Volume),
    ociVcn: tokenOf(oci.core.Vcn),
    ociSecurityList: tokenOf(oci.core.SecurityList),
    ociNsg: tokenOf(oci.core.NetworkSecurityGroup),
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
    twingateResource: tokenOf(twingate.TwingateResource),
    kubernetesService: tokenOf(k8s.core.v1.Service),
    kubernetesSecret: tokenOf(k8s.core.v1.Secret),
    proxmoxVm: tokenOf(proxmox.VmLegacy),
    commandRemote: tokenOf(command.remote.Command),
    commandCopyToRemote: tokenOf(command.remote.CopyToRemote),
    // A CustomResource registers `kubernetes:<apiVersion>:<kind>`: checked below against what the program plans.
    argoApplication: types.argoApplication,
  };
  for (const [key, token] of Object.entries(types).filter(([key]) => key !== "argoApplication")) {
    it(`${key} is ${token}`, () => assert.equal(token, sdk[key as keyof typeof types]));
  }
  it("argoApplication is the token of the Applications the program plans, whose CRD schema is pinned", async () => {
    const prod = await examplePlan("prod");
    const application = prod.resources.find((r) => r.name === "prod-app-argocd")!;
    const { apiVersion, kind } = application.inputs as { apiVersion: string; kind: string };
    assert.equal(application.type, `kubernetes:${apiVersion}:${kind}`);
    assert.equal(types.argoApplication, application.type);
    assert.ok(readLock().entries.some((e) => e.path === crdSchemaPath(apiVersion, kind)), `${crdSchemaPath(apiVersion, kind)} is not pinned`);
  });
});
