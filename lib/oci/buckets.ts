/**
 * The buckets the program creates in the tenancy's Object Storage namespace. Bucket names are
 * unique per namespace, so the backup bucket named in config may not take one of the others'.
 */
export const ociBuckets = {
  /** Where the CLOUD nodes' Talos image waits while OCI imports it (objects expire after a day). */
  talosStaging: "cloud-talos-staging",
} as const;
