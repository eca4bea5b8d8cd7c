import { strict as assert } from "node:assert";
import { examplePlan } from "../helpers";

describe("component BackupBucket", () => {
  it("makes a private versioned bucket that expires old backups after the configured days", async () => {
    const cloud = await examplePlan("cloud");
    const bucket = cloud.resources.find((r) => r.type === "oci:ObjectStorage/bucket:Bucket" && r.inputs.name === "homelab-backups")!;
    assert.equal(bucket.inputs.accessType, "NoPublicAccess");
    assert.equal(bucket.inputs.versioning, "Enabled");
    const lifecycle = cloud.resources.find((r) => r.type === "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy" && r.inputs.bucket === "homelab-backups")!;
    const rules = lifecycle.inputs.rules as { timeAmount: string; target: string }[];
    assert.equal(rules.find((r) => r.target === "objects")!.timeAmount, "30");
    assert.equal(cloud.outputs.backupS3Endpoint, "https://examplenamespace.compat.objectstorage.eu-paris-1.oraclecloud.com");
  });
  it("issues an S3-compatible key for the backup tools and exports it only as secrets", async () => {
    const cloud = await examplePlan("cloud");
    const key = cloud.resources.find((r) => r.type === "oci:Identity/customerSecretKey:CustomerSecretKey")!;
    assert.equal(key.inputs.userId, "ocid1.user.oc1..aaaaaaaaexampleuser");
    assert.equal(cloud.outputs.backupAccessKeyId, "[secret]");
    assert.equal(cloud.outputs.backupSecretKey, "[secret]");
    assert.ok(!JSON.stringify(cloud).includes("offline-s3-secret"));
  });
});
