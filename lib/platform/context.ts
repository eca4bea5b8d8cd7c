/**
 * What the platform of one cluster needs to know about its surroundings, gathered once from the
 * stack's config and the cloud stack's outputs, so that every values builder reads one object.
 */
import type { Input } from "@pulumi/pulumi";
import type { ClusterName } from "../catalog";

export interface ClusterNode {
  name: string;
  cpu: number;
  memoryGi: number;
}

export interface ClusterContext {
  cluster: ClusterName;
  domain: string;
  /** https://auth.<domain>: issuer base for OIDC clients. */
  authentikUrl: string;
  /** The nodes, for the capacity budget and replica counts. */
  nodes: readonly ClusterNode[];
  /** Default storage class of the cluster (DEV/CLOUD local-path, PROD Longhorn). */
  defaultStorageClass: "local-path" | "longhorn";
  /** Home clusters: LAN and Cilium LB-IPAM pool (L2 announcements instead of MetalLB). */
  lan?: {
    cidr: string;
    /** Addresses Cilium may hand to LoadBalancer Services, inside the LAN. */
    loadBalancerPool: string;
    /** Fixed address of the Gateway (LAN access to the apps) and of AdGuard's DNS. */
    gatewayIp: string;
    dnsIp?: string;
  };
  /** NFS server of the media library (Proxmox on the LAN; through Twingate from CLOUD). */
  nfs: { server: string; pool: string };
  /** Off-site backups (OCI bucket, S3-compatible): the cloud stack's outputs. */
  backup: { s3Endpoint: Input<string>; bucket: Input<string>; region: Input<string> };
  /** Let's Encrypt account e-mail. */
  acmeEmail: string;
  /** Bitwarden Secrets Manager organization and project that ExternalSecrets read. */
  bitwarden: { organizationId: string; projectId: string };
}

/** Allocatable share of a node: Talos, the kubelet and system daemons keep the rest. */
export const nodeReservation = { cpuM: 250, memoryMi: 1024 } as const;
