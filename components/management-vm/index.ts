import { createHash } from "node:crypto";
import * as cloudflare from "@pulumi/cloudflare";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { OciInstanceConfig } from "../../lib/config";
import { exceptionFor, exceptionMarker } from "../../lib/ingress-exceptions";
import {
  cloudInitUserData,
  managementMetadata,
  metadataKeys,
  siderolinkApiUrl,
  siderolinkKernelArgs,
  type ManagementDocumentsInput,
  type ManagementHostnames,
  type ManagementSecrets,
} from "../../lib/management-vm/documents";
import { formatAppComment, ociTags } from "../../lib/markers";
import { instanceArgs, type InstancePlacement } from "../../lib/oci/instance";
import { directUrl, type DirectRoute } from "../../lib/routes";

export interface ManagementVmArgs extends InstancePlacement {
  /** The `mgmt` entry of `homelab:oci.instances` (1 OCPU / 6 GB / 50 GB by default). */
  spec: OciInstanceConfig;
  /** The VCN of the subnet: the VM's network security group lives there. */
  vcnId: pulumi.Input<string>;
  /**
   * The catalog's direct routes (Omni's API and SideroLink): each gets its exception's NSG rule
   * and a DNS-only A record to the VM's public address in this Cloudflare zone.
   */
  direct: { zoneId: string; routes: readonly DirectRoute[] };
  /** Ubuntu image for the VM (OCI image data source). */
  imageId: pulumi.Input<string>;
  /** Admin SSH public key (key-based only; reached through the tunnel and Cloudflare Access). */
  sshPublicKey: string;
  /** Public hostnames of Omni, its SideroLink API and Kubernetes proxy, and Authentik (from the catalog's routes). */
  hostnames: ManagementHostnames;
  /** Omni's initial admins; the first is Authentik's bootstrap e-mail. */
  adminEmails: readonly string[];
  /** OCI region (the S3-compatible API's region). */
  region: string;
  /** S3-compatible endpoint and bucket of the backups. */
  backupS3Endpoint: pulumi.Input<string>;
  backupBucket: pulumi.Input<string>;
  /** The restic job per backup class and the ntfy topic its failures go to. */
  backupClasses: ManagementDocumentsInput["backupClasses"];
  ntfyUrl?: string;
  /** Authentik blueprints by file name, from the identity layer. */
  blueprints?: pulumi.Input<Record<string, string>>;
  /** Secrets from config and from the Cloudflare and backup resources (restic's password is generated here). */
  secrets: pulumi.Input<Omit<ManagementSecrets, "resticPassword">>;
  /**
   * Omni's join token (Omni → Settings → Machines after the first start): once set, the
   * SideroLink kernel arguments for Talos images are an output. Absent on the first deployment.
   */
  omniJoinToken?: pulumi.Input<string>;
}

/**
 * The OCI management VM (stories 1.3.1, 1.3.2, 3.3.1, 3.4.1): Ubuntu with Docker Compose running
 * Omni, Authentik (server, worker, PostgreSQL, Redis), cloudflared, Omni's certificate (lego) and
 * the backups. People reach Authentik and the rest through the Cloudflare Tunnel; the only
 * openings from the internet are the named ingress exceptions of Omni's gRPC APIs (TCP 443 and
 * 8090, lib/ingress-exceptions.ts), in a network security group on this VM's VNIC alone, each
 * with a DNS-only A record to the VM's public address.
 *
 * The Compose project and the secrets travel in instance metadata that OCI updates in place, and
 * the VM's sync agent applies them: changing a document updates the VM, never replaces it.
 */
export class ManagementVm extends pulumi.ComponentResource {
  readonly instanceId: pulumi.Output<string>;
  readonly privateIp: pulumi.Output<string>;
  /** sha256 of the applied project bundle: changes exactly when the VM will re-apply. */
  readonly projectDigest: pulumi.Output<string>;
  /** Restic repository password of the VM's backups (secret): keep a copy in Bitwarden. */
  readonly resticPassword: pulumi.Output<string>;
  readonly omniApiUrl: string;
  readonly omniSiderolinkUrl: string;
  readonly omniKubernetesProxyUrl: string;
  readonly authentikIssuerUrl: string;
  /** The VM's public IPv4, where Omni's direct routes point. */
  readonly publicIp: pulumi.Output<string>;
  /** Kernel arguments that join a machine to Omni (secret); undefined until the join token is set. */
  readonly siderolinkKernelArgs: pulumi.Output<string> | undefined;

  constructor(name: string, args: ManagementVmArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:mgmt:ManagementVm", name, {}, opts);
    if (args.spec.role !== "mgmt") throw new Error(`homelab:oci.instances "${args.spec.name}": ManagementVm needs the instance with role "mgmt"`);
    this.omniApiUrl = `https://${args.hostnames.omni}`;
    this.omniSiderolinkUrl = siderolinkApiUrl(args.hostnames);
    // Omni's two public listeners must be exactly the catalog's direct routes (their exceptions' ports).
    for (const url of [this.omniApiUrl, this.omniSiderolinkUrl.replace(/\/$/, "")]) {
      const hostname = new URL(url).hostname;
      const route = args.direct.routes.find((r) => r.hostname === hostname);
      if (!route || directUrl(route) !== url) throw new Error(`management VM: ${hostname} must be a direct route at ${url} (found ${route ? directUrl(route) : "none"}); Omni's listeners and the ingress exceptions would disagree`);
    }
    this.omniKubernetesProxyUrl = `https://${args.hostnames.omniKube}`;
    this.authentikIssuerUrl = `https://${args.hostnames.authentik}`;

    // Omni's account id must never change once Omni has started: a resource keeps it stable.
    const omniAccount = new random.RandomUuid(`${name}-omni-account`, {}, { parent: this });
    const restic = new random.RandomPassword(`${name}-restic`, { length: 40, special: false }, { parent: this });
    this.resticPassword = pulumi.secret(restic.result);

    const rendered = pulumi
      .all([omniAccount.result, args.backupS3Endpoint, args.backupBucket, args.blueprints ?? {}, args.secrets, restic.result])
      .apply(([omniAccountId, endpoint, bucket, blueprints, secrets, resticPassword]) => {
        const input: ManagementDocumentsInput = {
          hostnames: args.hostnames,
          adminEmails: args.adminEmails,
          omniAccountId,
          resticRepository: `s3:${endpoint}/${bucket}/mgmt`,
          region: args.region,
          blueprints,
          backupClasses: args.backupClasses,
          ...(args.ntfyUrl ? { ntfyUrl: args.ntfyUrl } : {}),
        };
        return managementMetadata(input, { ...secrets, resticPassword }, args.sshPublicKey);
      });
    // Only the secrets bundle is secret; the project stays readable in previews as its digest.
    this.projectDigest = pulumi.unsecret(rendered.apply((m) => createHash("sha256").update(m.project).digest("hex")));

    // The VM's own network security group: the subnet's security list stays closed to the
    // internet (the Talos nodes share the subnet), and only this VNIC carries the exceptions.
    const nsg = new oci.core.NetworkSecurityGroup(`${name}-mgmt-nsg`, {
      compartmentId: args.compartmentId,
      vcnId: args.vcnId,
      displayName: `${args.spec.name}-ingress-exceptions`,
      freeformTags: { [ociTags.homelab]: "true", [ociTags.role]: "mgmt" },
    }, { parent: this });
    for (const route of args.direct.routes) {
      const exception = exceptionFor(route.exception);
      for (const source of exception.sources) {
        new oci.core.NetworkSecurityGroupSecurityRule(`${name}-${exception.name}${source === "::/0" ? "-ipv6" : ""}`, {
          networkSecurityGroupId: nsg.id,
          direction: "INGRESS",
          protocol: exception.protocol,
          source,
          sourceType: "CIDR_BLOCK",
          stateless: false,
          tcpOptions: { destinationPortRange: { min: exception.port, max: exception.port } },
          description: `${exceptionMarker}${exception.name}`,
        }, { parent: this, dependsOn: [nsg] });
      }
    }

    const instance = new oci.core.Instance(
      args.spec.name,
      {
        ...instanceArgs(
          args.spec,
          args,
          args.imageId,
          {
            ssh_authorized_keys: args.sshPublicKey,
            // Holds no secret and never changes (see cloudInit), so it is plain.
            user_data: cloudInitUserData(),
            [metadataKeys.project]: pulumi.unsecret(rendered.apply((m) => m.project)),
          },
          [nsg.id],
        ),
        // The secrets bundle sits in the extended metadata so that Pulumi keeps that attribute
        // secret while the plain metadata stays readable in previews. The metadata service
        // serves both under the same path.
        extendedMetadata: { [metadataKeys.secrets]: pulumi.secret(rendered.apply((m) => m.secrets)) },
      },
      {
        parent: this,
        // OCI fixes user_data and ssh_authorized_keys at launch; everything else in the metadata
        // is updated in place. The VM's data lives on its boot volume, so it is never re-imaged.
        ignoreChanges: ["metadata.user_data", "metadata.ssh_authorized_keys", "sourceDetails.sourceId"],
        dependsOn: [nsg],
      },
    );
    this.instanceId = instance.id;
    this.privateIp = instance.privateIp;
    this.publicIp = instance.publicIp;

    // DNS-only: Cloudflare's proxy would carry neither gRPC (without the zone-wide toggle that
    // blinds Access) nor port 8090. The record follows the VM's ephemeral address on every up.
    for (const route of args.direct.routes) {
      new cloudflare.DnsRecord(`${name}-dns-${route.hostname}`, {
        zoneId: args.direct.zoneId,
        name: route.hostname,
        type: "A",
        content: instance.publicIp,
        proxied: false,
        ttl: 300,
        comment: formatAppComment(route.app, route.tier, route.groups, route.clients, route.exception),
      }, { parent: this, dependsOn: [instance], deleteBeforeReplace: true });
    }
    this.siderolinkKernelArgs =
      args.omniJoinToken === undefined
        ? undefined
        : pulumi.secret(pulumi.output(args.omniJoinToken).apply((token) => siderolinkKernelArgs(this.omniSiderolinkUrl, token)));

    this.registerOutputs({
      instanceId: this.instanceId,
      privateIp: this.privateIp,
      projectDigest: this.projectDigest,
      resticPassword: this.resticPassword,
      omniApiUrl: this.omniApiUrl,
      omniSiderolinkUrl: this.omniSiderolinkUrl,
      omniKubernetesProxyUrl: this.omniKubernetesProxyUrl,
      authentikIssuerUrl: this.authentikIssuerUrl,
      publicIp: this.publicIp,
      siderolinkKernelArgs: this.siderolinkKernelArgs,
    });
  }
}
