import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";

export interface BackupBucketArgs {
  compartmentId: pulumi.Input<string>;
  /** Object Storage namespace of the tenancy. */
  namespace: pulumi.Input<string>;
  bucketName: string;
  /** OCI region of the bucket, for the S3-compatible endpoint. */
  region: string;
  /**
   * OCI user that owns the S3-compatible key (Customer Secret Key). A dedicated user whose
   * group may only manage objects in this bucket keeps a leaked key from touching anything else.
   */
  keyOwnerUserId: pulumi.Input<string>;
  /** The IAM policy that lets Object Storage apply lifecycle rules (OciServiceGrants). */
  lifecycleGrant: pulumi.Resource;
}

/**
 * The off-site copy of the 3-2-1 backups (FR-024): one private, versioned bucket. There is no
 * bucket-wide expiry: restic, kopia and barman keep long-lived objects (repository config and
 * keys, the first packs, base backups) that every later backup depends on, so each tool prunes
 * its own repository by its class's retention (lib/backup/classes.ts). Only versions that a
 * tool already replaced or deleted expire, after 7 days.
 */
export class BackupBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  /** S3-compatible endpoint for restic, Velero and Volsync. */
  readonly s3Endpoint: pulumi.Output<string>;
  /** S3 access key id and secret key for the backup tools (both secrets). */
  readonly s3AccessKeyId: pulumi.Output<string>;
  readonly s3SecretKey: pulumi.Output<string>;

  constructor(name: string, args: BackupBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("homelab:backup:Bucket", name, {}, opts);
    const bucket = new oci.objectstorage.Bucket(`${name}-bucket`, {
      compartmentId: args.compartmentId,
      namespace: args.namespace,
      name: args.bucketName,
      accessType: "NoPublicAccess",
      storageTier: "Standard",
      versioning: "Enabled",
    }, { parent: this, protect: true });
    new oci.objectstorage.ObjectLifecyclePolicy(`${name}-lifecycle`, {
      namespace: args.namespace,
      bucket: bucket.name,
      rules: [
        {
          name: "expire-previous-versions",
          action: "DELETE",
          isEnabled: true,
          timeAmount: "7",
          timeUnit: "DAYS",
          target: "previous-object-versions",
        },
      ],
    }, { parent: this, dependsOn: [args.lifecycleGrant] });
    // Rotation: `pulumi up --replace <urn of this key>`, then the clusters pick the new pair up
    // through External Secrets (README, "Rotating secrets").
    const key = new oci.identity.CustomerSecretKey(`${name}-s3-key`, {
      displayName: `${args.bucketName}-backup-tools`,
      userId: args.keyOwnerUserId,
    }, { parent: this, additionalSecretOutputs: ["key"] });
    this.s3AccessKeyId = pulumi.secret(key.id);
    this.s3SecretKey = pulumi.secret(key.key);
    this.bucketName = bucket.name;
    this.s3Endpoint = pulumi.interpolate`https://${args.namespace}.compat.objectstorage.${args.region}.oraclecloud.com`;
    this.registerOutputs({ bucketName: this.bucketName, s3Endpoint: this.s3Endpoint, s3AccessKeyId: this.s3AccessKeyId, s3SecretKey: this.s3SecretKey });
  }
}
