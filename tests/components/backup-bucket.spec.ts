import { strict as assert } from "node:assert";
import { lifecycleGrantProblems } from "../../lib/oci/service-grants";
import { examplePlan } from "../helpers";

describe("component BackupBucket", () => {
  it("makes a private versioned bucket whose lifecycle never deletes a current object (repositories stay whole)", async () => {
    const cloud = await examplePlan("cloud");
    const bucket = cloud.resources.find((r) => r.type === "oci:ObjectStorage/bucket:Bucket" && r.inputs.name === "homelab-backups")!;
    assert.equal(bucket.inputs.accessType, "NoPublicAccess");
    assert.equal(bucket.inputs.versioning, "Enabled");
    const lifecycle = cloud.resources.find((r) => r.type === "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy" && r.inputs.bucket === "homelab-backups")!;
    // A bucket-wide expiry of current objects deleted restic's config and keys and barman's base
    // backups after 30 days, breaking every repository; only replaced versions may expire.
    const rules = lifecycle.inputs.rules as { timeAmount: string; target: string; action: string }[];
    assert.deepEqual(rules.map((r) => `${r.action} ${r.target} after ${r.timeAmount}`), ["DELETE previous-object-versions after 7"]);
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

  it("lets Object Storage apply the lifecycle rules: every lifecycle policy waits for the service's IAM grant", async () => {
    const cloud = await examplePlan("cloud");
    const compartment = "ocid1.compartment.oc1..aaaaaaaaexamplecompartment";
    const grant = cloud.resources.find((r) => r.type === "oci:Identity/policy:Policy")!;
    assert.deepEqual(grant.inputs.statements, [`Allow service objectstorage-eu-paris-1 to manage object-family in compartment id ${compartment}`]);
    assert.equal(grant.inputs.compartmentId, "ocid1.tenancy.oc1..aaaaaaaaexampletenancy");
    const lifecycles = cloud.resources.filter((r) => r.type === "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy");
    assert.equal(lifecycles.length, 2, "the backup bucket and the Talos image staging bucket");
    assert.deepEqual(lifecycleGrantProblems(cloud.resources, "eu-paris-1", compartment), []);
  });

  it("the grant check fails without the grant (as before), and for another region", async () => {
    const cloud = await examplePlan("cloud");
    const compartment = "ocid1.compartment.oc1..aaaaaaaaexamplecompartment";
    const withoutGrant = cloud.resources.filter((r) => r.type !== "oci:Identity/policy:Policy");
    const problems = lifecycleGrantProblems(withoutGrant, "eu-paris-1", compartment);
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /OCI refuses lifecycle rules until Object Storage may manage the objects; it depends on no policy "Allow service objectstorage-eu-paris-1 to manage object-family in compartment id ocid1\.compartment/);
    assert.equal(lifecycleGrantProblems(cloud.resources, "eu-frankfurt-1", compartment).length, 2);
  });
});
