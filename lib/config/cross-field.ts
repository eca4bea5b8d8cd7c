/** Config rules that span several keys (subnets inside VCNs, NFS clients on the LAN, disk counts, Talos patches). */
import { alwaysFreeLimits } from "../always-free";
import { talosPatchProblems } from "../talos/omni";
import type { StackName } from "./errors";
import type { CloudConfig, DevConfig, ProdConfig } from "./load";

/** Rules that span several keys; totals are left to the policy pack, which sees the resources. */
export function crossFieldProblems(stack: StackName, config: CloudConfig | ProdConfig | DevConfig): string[] {
  const problems: string[] = [];
  if (stack === "cloud") {
    const cloud = config as CloudConfig;
    const names = new Set<string>();
    cloud["homelab:oci"].instances.forEach((instance, i) => {
      if (names.has(instance.name)) problems.push(`homelab:oci.instances[${i}].name = "${instance.name}": used twice; fix: give each instance its own name`);
      names.add(instance.name);
      if (instance.shape === alwaysFreeLimits.microShape && (instance.ocpus !== 1 || instance.memoryGb !== 1)) {
        problems.push(`homelab:oci.instances[${i}]: ${alwaysFreeLimits.microShape} is fixed at 1 OCPU / 1 GB; fix: set ocpus 1 and memoryGb 1, or use ${alwaysFreeLimits.a1Shape}`);
      }
    });
    if (cloud["homelab:oci"].instances.filter((i) => i.role === "mgmt").length !== 1) {
      problems.push(`homelab:oci.instances: expected exactly one instance with role "mgmt" (it runs Omni, Authentik and cloudflared)`);
    }
    const [vcnIp, vcnBits] = cloud["homelab:oci"].vcnCidr.split("/");
    const [subnetIp, subnetBits] = cloud["homelab:oci"].subnetCidr.split("/");
    if (!cidrContains(vcnIp!, Number(vcnBits), subnetIp!, Number(subnetBits))) {
      problems.push(`homelab:oci.subnetCidr = "${cloud["homelab:oci"].subnetCidr}": not inside homelab:oci.vcnCidr "${cloud["homelab:oci"].vcnCidr}"; fix: pick a subnet of the VCN range`);
    }
    const platform = cloud["homelab:platform"];
    const nfs = "nfsServer" in platform ? platform.nfsServer : undefined;
    if (nfs && cidrContains(vcnIp!, Number(vcnBits), nfs, 32)) {
      problems.push(`homelab:platform.nfsServer = "${nfs}": inside homelab:oci.vcnCidr "${cloud["homelab:oci"].vcnCidr}", so the CLOUD nodes would route it into the VCN instead of through Twingate; fix: give the VCN a range the home network does not use`);
    }
  } else {
    const home = config as ProdConfig | DevConfig;
    if (stack === "prod") {
      const prod = config as ProdConfig;
      const zfs = prod["homelab:hypervisor"].zfs;
      const expected = zfs.layout === "mirror" ? 2 : 1;
      if (zfs.disks.length !== expected) {
        problems.push(`homelab:hypervisor.zfs.disks: layout "${zfs.layout}" needs ${expected} disk${expected === 1 ? "" : "s"}, got ${zfs.disks.length}; fix: list the disks or change the layout`);
      }
      // A copy on the media pool's own disks is lost with them (and the pool itself as target
      // would make syncoid write each dataset onto itself).
      const replication = zfs.replication;
      const pool = home["homelab:proxmox"].zfsPool;
      if (replication?.kind === "zfs" && replication.target.split("/")[0] === pool) {
        problems.push(`homelab:hypervisor.zfs.replication.target = "${replication.target}": on the media pool ${pool} itself, so a disk failure takes the copy too; fix: name a dataset on a second pool (a USB disk, a spare drive), such as usb-backup/${pool}`);
      }
      const lan = home["homelab:proxmox"].lanCidr;
      const [lanNet, lanBits] = lan.split("/");
      (prod["homelab:hypervisor"].nfs.clientCidrs ?? []).forEach((client, i) => {
        const [ip, bits] = client.split("/");
        if (!cidrContains(lanNet!, Number(lanBits), ip!, Number(bits))) {
          problems.push(`homelab:hypervisor.nfs.clientCidrs[${i}] = "${client}": outside the home network ${lan}; the media exports stay on the home network (the CLOUD cluster reaches them through Twingate)`);
        }
      });
    }
    const host = home["homelab:proxmox"];
    const [lanIp, lanBits] = host.lanCidr.split("/");
    if (!cidrContains(lanIp!, Number(lanBits), host.address, 32)) {
      problems.push(`homelab:proxmox.address = "${host.address}": not inside homelab:proxmox.lanCidr "${host.lanCidr}"; fix: correct one of the two`);
    }
    if (host.zfsArcGb >= host.memoryGb) problems.push(`homelab:proxmox.zfsArcGb = ${host.zfsArcGb}: must be below the host memory (${host.memoryGb} GB)`);
    const platform = home["homelab:platform"];
    if ("lan" in platform) problems.push(...lanAddressProblems(platform.lan, host.lanCidr, host.address));
  }
  config["homelab:talosPatches"].forEach((entry, i) => {
    problems.push(...talosPatchProblems(entry.patch, `homelab:talosPatches[${i}] ("${entry.name}")`));
  });
  return problems;
}

/**
 * The LAN addresses Cilium LB-IPAM hands out. LB-IPAM gives a Service the address it asks for
 * (`lbipam.cilium.io/ips`) only from a pool's blocks, otherwise the Service stays `<pending>`; L2
 * announcements answer ARP only on the node's own subnet; and an address the pool shares with a
 * host is answered twice. The Gateway and AdGuard Home cannot share one address (both use 443).
 */
function lanAddressProblems(lan: { loadBalancerPool: string; gatewayIp: string; dnsIp?: string | undefined }, lanCidr: string, hostAddress: string): string[] {
  const problems: string[] = [];
  const [poolIp, poolBits] = lan.loadBalancerPool.split("/");
  const [lanIp, lanBits] = lanCidr.split("/");
  const inPool = (ip: string) => cidrContains(poolIp!, Number(poolBits), ip, 32);
  if (!cidrContains(lanIp!, Number(lanBits), poolIp!, Number(poolBits))) {
    problems.push(`homelab:platform.lan.loadBalancerPool = "${lan.loadBalancerPool}": not inside homelab:proxmox.lanCidr "${lanCidr}", so L2 announcements would answer for addresses the LAN does not route; fix: pick a free range of the home network`);
  }
  if (inPool(hostAddress)) {
    problems.push(`homelab:platform.lan.loadBalancerPool = "${lan.loadBalancerPool}": contains the Proxmox host's address ${hostAddress} (homelab:proxmox.address), which LB-IPAM could hand to a Service; fix: pick a range no host uses (outside the router's DHCP range)`);
  }
  const addresses: [string, string | undefined][] = [["gatewayIp", lan.gatewayIp], ["dnsIp", lan.dnsIp]];
  for (const [key, ip] of addresses) {
    if (ip !== undefined && !inPool(ip)) {
      problems.push(`homelab:platform.lan.${key} = "${ip}": not inside homelab:platform.lan.loadBalancerPool "${lan.loadBalancerPool}"; Cilium LB-IPAM assigns a requested address only from a pool, so the Service would stay <pending>; fix: pick an address of the pool`);
    }
  }
  if (lan.dnsIp !== undefined && lan.dnsIp === lan.gatewayIp) {
    problems.push(`homelab:platform.lan.dnsIp = "${lan.dnsIp}": the same as homelab:platform.lan.gatewayIp; AdGuard Home's DoH port 443 is the Gateway's too, so LB-IPAM cannot share the address; fix: give AdGuard another address of the pool`);
  }
  return problems;
}

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function cidrContains(outerIp: string, outerBits: number, innerIp: string, innerBits: number): boolean {
  if (innerBits < outerBits) return false;
  const mask = outerBits === 0 ? 0 : 2 ** 32 - 2 ** (32 - outerBits);
  const apply = (n: number) => Math.floor(n / 2 ** (32 - outerBits)) * 2 ** (32 - outerBits);
  return mask === 0 || apply(toInt(outerIp)) === apply(toInt(innerIp));
}

