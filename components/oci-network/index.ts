import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { intraVcnIngressRules } from "../../lib/oci/network";

export interface OciNetworkArgs {
  /** Compartment that holds every cloud resource. */
  compartmentId: pulumi.Input<string>;
  /** VCN range; the subnet must lie inside it. */
  vcnCidr: string;
  /** The one public subnet: instances reach the internet (egress) through the internet gateway. */
  subnetCidr: string;
}

/**
 * The VCN of the cloud stack: one subnet, an internet gateway for egress only, and a security
 * list that admits nothing from the internet. Admin SSH and every user path come through the
 * Cloudflare Tunnel (outbound), Omni's SideroLink runs WireGuard over its gRPC tunnel (outbound),
 * so no ingress rule names a source outside the VCN.
 */
export class OciNetwork extends pulumi.ComponentResource {
  readonly vcnId: pulumi.Output<string>;
  readonly subnetId: pulumi.Output<string>;

  constructor(name: string, args: OciNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:oci:Network", name, {}, opts);
    const vcn = new oci.core.Vcn(`${name}-vcn`, {
      compartmentId: args.compartmentId,
      cidrBlocks: [args.vcnCidr],
      displayName: `${name}-vcn`,
      dnsLabel: "homelab",
    }, { parent: this });
    const gateway = new oci.core.InternetGateway(`${name}-igw`, {
      compartmentId: args.compartmentId,
      vcnId: vcn.id,
      displayName: `${name}-igw`,
      enabled: true,
    }, { parent: this });
    const routes = new oci.core.RouteTable(`${name}-routes`, {
      compartmentId: args.compartmentId,
      vcnId: vcn.id,
      displayName: `${name}-routes`,
      routeRules: [{ destination: "0.0.0.0/0", destinationType: "CIDR_BLOCK", networkEntityId: gateway.id, description: "egress to the internet" }],
    }, { parent: this });
    const securityList = new oci.core.SecurityList(`${name}-seclist`, {
      compartmentId: args.compartmentId,
      vcnId: vcn.id,
      displayName: `${name}-seclist`,
      egressSecurityRules: [{ destination: "0.0.0.0/0", protocol: "all", description: "egress: tunnel, SideroLink, image pulls" }],
      ingressSecurityRules: intraVcnIngressRules(args.vcnCidr),
    }, { parent: this });
    const subnet = new oci.core.Subnet(`${name}-subnet`, {
      compartmentId: args.compartmentId,
      vcnId: vcn.id,
      cidrBlock: args.subnetCidr,
      displayName: `${name}-subnet`,
      dnsLabel: "nodes",
      routeTableId: routes.id,
      securityListIds: [securityList.id],
    }, { parent: this });
    this.vcnId = vcn.id;
    this.subnetId = subnet.id;
    this.registerOutputs({ vcnId: this.vcnId, subnetId: this.subnetId });
  }
}
