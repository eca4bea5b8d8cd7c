import { strict as assert } from "node:assert";
import { instanceBootProblems, talosA1ImageCapabilities } from "../../lib/oci/image-capabilities";
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

  it("boots the imported Talos image only once it declares A1.Flex and UEFI_64 firmware (a QCOW2 import defaults to BIOS)", async () => {
    const cloud = await examplePlan("cloud");
    assert.deepEqual(instanceBootProblems(cloud.resources), []);
    const capabilities = cloud.resources.find((r) => r.type === "oci:Core/computeImageCapabilitySchema:ComputeImageCapabilitySchema")!;
    assert.deepEqual(capabilities.inputs.schemaData, talosA1ImageCapabilities());
    assert.deepEqual(JSON.parse(talosA1ImageCapabilities()["Compute.Firmware"]!), { descriptorType: "enumstring", source: "IMAGE", values: ["UEFI_64"], defaultValue: "UEFI_64" });
    assert.equal(capabilities.inputs.computeGlobalImageCapabilitySchemaVersionName, "mock-current");
    const image = cloud.resources.find((r) => r.type === "oci:Core/image:Image")!;
    assert.equal((image.inputs.imageSourceDetails as { sourceImageType: string }).sourceImageType, "QCOW2");
  });

  it("the boot check fails on the component of before this issue: no wait for the shape, no firmware", async () => {
    const cloud = await examplePlan("cloud");
    const old = cloud.resources.filter((r) => r.type !== "oci:Core/computeImageCapabilitySchema:ComputeImageCapabilitySchema").map((r) => (r.name.startsWith("oci-node-") ? { ...r, dependencies: [] } : r));
    assert.deepEqual(instanceBootProblems(old), [
      "oci-node-1: boots the imported Talos image before the image declares shape VM.Standard.A1.Flex (ShapeManagement)",
      "oci-node-1: VM.Standard.A1.Flex is Arm and boots UEFI only, but it waits for no capability schema that sets Compute.Firmware to UEFI_64 (a QCOW2 import defaults to BIOS)",
      "oci-node-2: boots the imported Talos image before the image declares shape VM.Standard.A1.Flex (ShapeManagement)",
      "oci-node-2: VM.Standard.A1.Flex is Arm and boots UEFI only, but it waits for no capability schema that sets Compute.Firmware to UEFI_64 (a QCOW2 import defaults to BIOS)",
    ]);
  });
});
