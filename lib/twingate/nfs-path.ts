/**
 * The CLOUD → home NFS path through Twingate (FR-010, issue 13 path 2), as pure data.
 *
 * Who dials whom: nobody opens a port. The connector on PROD dials Twingate out; the headless
 * client on every CLOUD node dials Twingate out with a service-account key; Twingate pairs them
 * (peer-to-peer when NAT allows, else through its relays). The client runs in the node's network
 * namespace (a privileged host-network DaemonSet), so its TUN device and route carry the
 * kubelet's NFS mounts, which a per-pod sidecar could not.
 *
 * The resource is an address, not a name: Twingate resolves FQDN resources only through its own
 * resolver, which the node's kubelet never asks. It is restricted to NFSv4's one TCP port and to
 * the one service account; the kubelet mounts with `nfsvers=4.2`, which needs no rpcbind or
 * mountd port.
 */
import type * as twingate from "@twingate/pulumi-twingate";

/** NFSv4: everything on one TCP port. */
export const nfsPort = 2049;

/** The Twingate resource of the home NFS server: one address, NFS's port, nothing else. */
export function nfsResourceProtocols(): twingate.types.input.TwingateResourceProtocols {
  return { allowIcmp: false, tcp: { policy: "RESTRICTED", ports: [String(nfsPort)] }, udp: { policy: "DENY_ALL" } };
}

/** Where the CLOUD nodes' client reads its service key (the twingate/client image's path). */
export const serviceKeyPath = "/etc/twingate/service_key.json";

/** The `homelab:secretGenerations` keys of the Twingate credentials: raising one replaces it. */
export const twingateGenerationKeys = { connector: "TWINGATE_CONNECTOR", serviceKey: "TWINGATE_SERVICE_KEY" } as const;
