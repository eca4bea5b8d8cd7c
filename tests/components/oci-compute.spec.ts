import { strict as assert } from "node:assert";
import { examplePlan } from "../helpers";

describe("component OciCompute", () => {
  it("runs the stories' three A1 instances with their sizes (the management VM through ManagementVm)", async () => {
    const cloud = await examplePlan("cloud");
    const instances = Object.fromEntries(cloud.resources.filter((r) => r.type === "oci:Core/instance:Instance").map((r) => [r.name, r.inputs]));
    const size = (name: string) => {
      const i = instances[name] as { shapeConfig: { ocpus: number; memoryInGbs: number }; sourceDetails: { bootVolumeSizeInGbs: string } };
      return [i.shapeConfig.ocpus, i.shapeConfig.memoryInGbs, Number(i.sourceDetails.bootVolumeSizeInGbs)];
    };
    assert.deepEqual(size("oci-mgmt"), [1, 6, 50]);
    assert.deepEqual(size("oci-node-1"), [2, 12, 64]);
    assert.deepEqual(size("oci-node-2"), [1, 6, 75]);
    const nodes = cloud.resources.filter((r) => r.name.startsWith("oci-node-"));
    assert.ok(nodes.every((n) => n.parent === "urn:pulumi:cloud::homelab::homelab:oci:Compute::homelab"));
  });
  it("reserves the public IP of the node that carries Comet and gives it no ephemeral one", async () => {
    const cloud = await examplePlan("cloud");
    const node2 = cloud.resources.find((r) => r.name === "oci-node-2")!;
    assert.equal((node2.inputs.createVnicDetails as { assignPublicIp: string }).assignPublicIp, "false");
    const reserved = cloud.resources.find((r) => r.type === "oci:Core/publicIp:PublicIp")!;
    assert.equal(reserved.inputs.lifetime, "RESERVED");
    assert.equal(reserved.name, "oci-node-2-reserved-ip");
  });
});
