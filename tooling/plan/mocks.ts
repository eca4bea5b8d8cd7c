/**
 * Pulumi mocks for the offline plan: they stand in for the providers, record every resource
 * with its resolved inputs, and answer invokes and stack references with realistic values.
 * An invoke that is not listed here fails loudly, so a new data source cannot slip through
 * with an empty answer.
 */
import type * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

export interface RecordedResource {
  type: string;
  name: string;
  custom: boolean;
  /** Inputs as the engine would receive them; secrets are still wrapped (see `sanitize`). */
  inputs: Record<string, unknown>;
}

/** What a StackReference to the cloud stack answers. */
export interface StackReferenceAnswer {
  outputs: Record<string, unknown>;
  secretOutputNames: readonly string[];
}

function fakeId(kind: string, name: string): string {
  return `${kind}-${createHash("sha256").update(name).digest("hex").slice(0, 12)}`;
}

function fakeUuid(name: string): string {
  const h = createHash("sha256").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Computed outputs a provider would add to a resource's state, by type. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "oci:Core/instance:Instance": {
      const octet = (parseInt(createHash("sha256").update(name).digest("hex").slice(0, 2), 16) % 200) + 10;
      return { privateIp: `10.20.1.${octet}`, publicIp: `203.0.113.${octet}`, state: "RUNNING" };
    }
    case "oci:Core/publicIp:PublicIp":
      return { ipAddress: "203.0.113.200" };
    case "random:index/randomBytes:RandomBytes":
      return { base64: createHash("sha256").update(name).digest("base64"), hex: createHash("sha256").update(name).digest("hex") };
    case "random:index/randomPassword:RandomPassword":
      return { result: createHash("sha256").update(name).digest("hex").slice(0, Number(inputs.length ?? 32)) };
    case "oci:Identity/customerSecretKey:CustomerSecretKey":
      return { key: `offline-s3-secret-${createHash("sha256").update(name).digest("hex").slice(0, 24)}` };
    case "proxmoxve:index/vmLegacy:VmLegacy":
      return { vmId: inputs.vmId };
    case "twingate:index/twingateConnectorTokens:TwingateConnectorTokens":
      return { accessToken: `offline-twingate-access-${createHash("sha256").update(name).digest("hex").slice(0, 16)}`, refreshToken: `offline-twingate-refresh-${createHash("sha256").update(name).digest("hex").slice(0, 16)}` };
    case "twingate:index/twingateServiceAccountKey:TwingateServiceAccountKey":
      return { token: `offline-twingate-service-key-${createHash("sha256").update(name).digest("hex").slice(0, 16)}` };
    default:
      return {};
  }
}

export class PlanMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];

  constructor(private readonly stackReferences: Record<string, StackReferenceAnswer> = {}) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    this.resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs });
    if (args.type === "pulumi:pulumi:StackReference") {
      const ref = String(inputs.name);
      const answer = this.stackReferences[ref];
      if (!answer) throw new Error(`offline plan: no mocked outputs for stack reference "${ref}"; plan the cloud stack first`);
      return { id: ref, state: { name: ref, outputs: answer.outputs, secretOutputNames: [...answer.secretOutputNames] } };
    }
    const id = type2Id(args.type, args.name);
    return { id, state: { ...inputs, ...computedOutputs(args.type, args.name, inputs), id } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    switch (args.token) {
      case "oci:Core/getImages:getImages":
        return { images: [{ id: "ocid1.image.oc1.eu-paris-1.mockubuntu2404", displayName: "Canonical-Ubuntu-24.04-aarch64" }] };
      case "oci:ObjectStorage/getNamespace:getNamespace":
        return { namespace: "examplenamespace" };
      case "oci:Core/getVnicAttachments:getVnicAttachments":
        return { vnicAttachments: [{ vnicId: fakeId("ocid1.vnic.oc1", String(inputs.instanceId)) }] };
      case "oci:Core/getPrivateIps:getPrivateIps":
        return { privateIps: [{ id: fakeId("ocid1.privateip.oc1", String(inputs.vnicId)) }] };
      case "oci:Core/getComputeGlobalImageCapabilitySchemas:getComputeGlobalImageCapabilitySchemas":
        return { computeGlobalImageCapabilitySchemas: [{ id: "ocid1.computeglobalimgcapschema.oc1..mockglobal", compartmentId: "", currentVersionName: "mock-current", displayName: "OCI.ComputeGlobalImageCapabilitySchema" }] };
      case "cloudflare:index/getZeroTrustTunnelCloudflaredToken:getZeroTrustTunnelCloudflaredToken":
        return { accountId: inputs.accountId, tunnelId: inputs.tunnelId, token: `offline-tunnel-token-${String(inputs.tunnelId)}` };
      default:
        throw new Error(`offline plan: invoke "${args.token}" has no mock; add one to tooling/plan/mocks.ts`);
    }
  }
}

function type2Id(type: string, name: string): string {
  if (type.startsWith("cloudflare:")) return fakeUuid(`${type}/${name}`).replace(/-/g, "").slice(0, 32);
  if (type.startsWith("oci:")) return fakeId("ocid1.mock.oc1", `${type}/${name}`);
  return fakeId("id", `${type}/${name}`);
}
