import * as pulumi from "@pulumi/pulumi";
import * as twingate from "@twingate/pulumi-twingate";
import { nfsResourceProtocols, twingateGenerationKeys } from "../../lib/twingate/nfs-path";

export interface TwingateNfsPathArgs {
  /** The Twingate network's name (`<name>.twingate.com`), from `homelab:twingate.network`. */
  network: string;
  /** API token with Read, Write & Provision rights (secret). */
  apiToken: pulumi.Input<string>;
  /** The Proxmox host's LAN IPv4: the one address CLOUD may reach at home. */
  nfsServer: string;
  /** Rotation counters (`homelab:secretGenerations`): raising one replaces that credential. */
  generations: Readonly<Record<string, number>>;
}

/**
 * The Twingate side of the CLOUD → home NFS path (FR-010, story 3.4.2), as code: the home remote
 * network, the connector PROD runs (its token pair minted here, one pair per connector), the NFS
 * resource (the host's address, TCP 2049 only, hidden from people's clients) and the service
 * account whose key the CLOUD nodes' headless client uses. Nothing opens a port: the connector
 * and the clients both dial out (lib/twingate/nfs-path.ts).
 */
export class TwingateNfsPath extends pulumi.ComponentResource {
  readonly network: string;
  /** The connector's token pair (secrets), for the PROD cluster's connector. */
  readonly connectorAccessToken: pulumi.Output<string>;
  readonly connectorRefreshToken: pulumi.Output<string>;
  /** The service key the CLOUD nodes' headless client reads (secret). */
  readonly serviceKey: pulumi.Output<string>;

  constructor(name: string, args: TwingateNfsPathArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:twingate:NfsPath", name, {}, opts);
    this.network = args.network;
    const provider = new twingate.Provider(`${name}-twingate`, { network: args.network, apiToken: args.apiToken }, { parent: this });
    const inTwingate = { parent: this, provider };
    const generation = (key: string) => args.generations[key] ?? 1;

    const home = new twingate.TwingateRemoteNetwork(`${name}-home`, { name: "homelab home", location: "ON_PREMISE" }, inTwingate);
    const connector = new twingate.TwingateConnector(`${name}-prod-connector`, { name: "homelab-prod", remoteNetworkId: home.id }, inTwingate);
    const tokens = new twingate.TwingateConnectorTokens(`${name}-prod-connector-tokens`, {
      connectorId: connector.id,
      keepers: { generation: String(generation(twingateGenerationKeys.connector)) },
    }, inTwingate);

    const account = new twingate.TwingateServiceAccount(`${name}-cloud-nodes`, { name: "homelab CLOUD nodes (media NFS)" }, inTwingate);
    // Never expires: a key that lapses would cut the family's music and photos without warning;
    // it reaches one port of one address, and raising its generation rotates it.
    const serviceKeyGeneration = generation(twingateGenerationKeys.serviceKey);
    const key = new twingate.TwingateServiceAccountKey(`${name}-cloud-nodes-key-${serviceKeyGeneration}`, {
      serviceAccountId: account.id,
      name: `cloud-nodes-${serviceKeyGeneration}`,
      expirationTime: 0,
    }, inTwingate);

    new twingate.TwingateResource(`${name}-media-nfs`, {
      name: "homelab media NFS",
      address: args.nfsServer,
      remoteNetworkId: home.id,
      protocols: nfsResourceProtocols(),
      accessServices: [{ serviceAccountId: account.id }],
      // A path for machines: people's Twingate clients do not list it.
      isVisible: false,
      isBrowserShortcutEnabled: false,
    }, inTwingate);

    this.connectorAccessToken = pulumi.secret(tokens.accessToken);
    this.connectorRefreshToken = pulumi.secret(tokens.refreshToken);
    this.serviceKey = pulumi.secret(key.token);
    this.registerOutputs({ network: this.network, connectorAccessToken: this.connectorAccessToken, connectorRefreshToken: this.connectorRefreshToken, serviceKey: this.serviceKey });
  }
}
