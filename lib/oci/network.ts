/** The VCN's ingress rules, as pure data: the CLOUD cluster's ports, only from inside the VCN. */
import type * as oci from "@pulumi/oci";

/** Ports the CLOUD cluster uses between its own nodes, and only inside the VCN. */
export const intraVcnPorts: readonly { protocol: "TCP" | "UDP"; port: number; purpose: string }[] = [
  { protocol: "TCP", port: 50000, purpose: "Talos apid" },
  { protocol: "TCP", port: 50001, purpose: "Talos trustd" },
  { protocol: "TCP", port: 6443, purpose: "Kubernetes API" },
  { protocol: "TCP", port: 10250, purpose: "kubelet" },
  { protocol: "TCP", port: 4240, purpose: "Cilium health" },
  { protocol: "UDP", port: 51871, purpose: "Cilium WireGuard" },
  { protocol: "TCP", port: 2379, purpose: "etcd client" },
  { protocol: "TCP", port: 2380, purpose: "etcd peer" },
];

const protocolNumber = { TCP: "6", UDP: "17" } as const;

/** Ingress only from inside the VCN, one rule per cluster port; ICMP path-MTU from the VCN too. */
export function intraVcnIngressRules(vcnCidr: string): oci.types.input.Core.SecurityListIngressSecurityRule[] {
  return [
    ...intraVcnPorts.map((p) => ({
      protocol: protocolNumber[p.protocol],
      source: vcnCidr,
      description: p.purpose,
      ...(p.protocol === "TCP" ? { tcpOptions: { min: p.port, max: p.port } } : { udpOptions: { min: p.port, max: p.port } }),
    })),
    { protocol: "1", source: vcnCidr, description: "ICMP fragmentation-needed (path MTU)", icmpOptions: { type: 3, code: 4 } },
  ];
}
