import { strict as assert } from "node:assert";
import { machineArgs, stableMac, stableUuid, type MachineSpec } from "../../lib/proxmox/vm-args";

const host = { nodeName: "pve", datastore: "local-zfs", bridge: "vmbr0" };
const talos: MachineSpec = { name: "prod-worker-1", vmId: 2011, kind: "talos", size: { cores: 6, memoryGb: 12, diskGb: 200 }, tags: ["talos", "kubernetes", "prod"] };
const gaming: MachineSpec = { name: "gaming", vmId: 3001, kind: "gaming", size: { cores: 8, memoryGb: 32, diskGb: 1000 }, tags: ["windows"], gpuMapping: "gaming-gpu" };

describe("component ProxmoxMachines", () => {
  it("sizes a Talos VM from its spec, on vmbr0, with the guest agent and a stable MAC", () => {
    const args = machineArgs(talos, host, "local:iso/talos.iso");
    assert.deepEqual(args.cpu, { cores: 6, sockets: 1, type: "host" });
    assert.deepEqual(args.memory, { dedicated: 12 * 1024 });
    assert.equal((args.disks as { size: number }[])[0]!.size, 200);
    assert.deepEqual(args.tags, ["talos", "kubernetes", "prod"]);
    assert.deepEqual(args.agent, { enabled: true, trim: true });
    const nic = (args.networkDevices as { bridge: string; macAddress: string }[])[0]!;
    assert.equal(nic.bridge, "vmbr0");
    assert.equal(nic.macAddress, stableMac("prod-worker-1"));
    assert.equal(args.started, true);
    assert.deepEqual(args.cdrom, { fileId: "local:iso/talos.iso", interface: "ide2" });
  });
  it("derives a locally administered MAC that differs per VM and never changes", () => {
    assert.match(stableMac("dev-1"), /^02(:[0-9A-F]{2}){5}$/);
    assert.equal(stableMac("dev-1"), stableMac("dev-1"));
    assert.notEqual(stableMac("dev-1"), stableMac("prod-cp-1"));
  });
  it("makes the gaming VM q35 + OVMF + TPM with the GPU passed through, off and not started on boot", () => {
    const args = machineArgs(gaming, host);
    assert.equal(args.machine, "q35");
    assert.equal(args.bios, "ovmf");
    assert.deepEqual(args.tpmState, { datastoreId: "local-zfs", version: "v2.0" });
    assert.deepEqual(args.hostpcis, [{ device: "hostpci0", mapping: "gaming-gpu", pcie: true, xvga: true, rombar: true }]);
    assert.equal(args.started, false);
    assert.equal(args.onBoot, false);
  });
  it("refuses a gaming VM without a GPU mapping", () => {
    assert.throws(() => machineArgs({ ...gaming, gpuMapping: undefined }, host), /gaming VM needs the GPU's resource mapping/);
  });
  it("gives each VM a fixed SMBIOS UUID, which Omni uses as its machine id", () => {
    const uuid = (machineArgs(talos, host).smbios as { uuid: string }).uuid;
    assert.equal(uuid, stableUuid("prod-worker-1"));
    assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(stableUuid("prod-cp-1"), stableUuid("prod-worker-1"));
  });
});
