/**
 * The home stacks' rules across keys: every LAN address and pool inside the LAN, the Gateway's
 * and AdGuard's addresses inside the pool Cilium hands out, each VM within what the host can
 * give one VM, the pool's disks and datasets consistent.
 */
import type { Inventory } from "../inventory";
import { rosterSizeProblems } from "../machines";
import type { StackName } from "./errors";
import { formatIpv4, parseIpv4, rangeContains, rangeOf, type Ipv4Range } from "./net";
import type { DevConfig, ProdConfig } from "./load";

interface SizedVm {
  key: string;
  cores: number;
  memoryGb: number;
}

function vmsOf(stack: StackName, config: ProdConfig | DevConfig): SizedVm[] {
  const sizes = (key: string, record: Readonly<Record<string, Omit<SizedVm, "key">>>) => Object.entries(record).map(([name, size]) => ({ key: `${key}.${name}`, ...size }));
  if (stack === "dev") return sizes("homelab:vms", (config as DevConfig)["homelab:vms"]);
  const prod = config as ProdConfig;
  return [
    ...sizes("homelab:vms", prod["homelab:vms"]),
    ...(prod["homelab:runner"].enabled ? [{ key: "homelab:runner.size", ...prod["homelab:runner"].size }] : []),
    ...(prod["homelab:gaming"].enabled ? [{ key: "homelab:gaming.size", ...prod["homelab:gaming"].size }] : []),
    ...sizes("homelab:devVms", prod["homelab:devVms"]),
  ];
}

/** Every roster machine's size key is defined in the stack's sizes (prod also counts dev's, as homelab:devVms). */
function rosterSizes(stack: StackName, config: ProdConfig | DevConfig, inventory: Inventory): string[] {
  if (stack === "dev") return rosterSizeProblems("dev", inventory.rosters, config["homelab:vms"], "homelab:vms");
  const prod = config as ProdConfig;
  return [...rosterSizeProblems("prod", inventory.rosters, prod["homelab:vms"], "homelab:vms"), ...rosterSizeProblems("dev", inventory.rosters, prod["homelab:devVms"], "homelab:devVms")];
}

function lanProblems(config: ProdConfig | DevConfig): string[] {
  const problems: string[] = [];
  const host = config["homelab:proxmox"];
  const lan = rangeOf(host.lanCidr);
  const inLan = (ip: number) => rangeContains(lan, ip) && ip !== lan.network && ip !== lan.network + lan.size - 1;
  const address = parseIpv4(host.address)!;
  if (!inLan(address)) {
    problems.push(`homelab:proxmox.address = "${host.address}": not inside homelab:proxmox.lanCidr "${host.lanCidr}" as a host address (not the network or broadcast address); fix: correct one of the two`);
  }
  const platform = config["homelab:platform"];
  const pool = rangeOf(platform.lan.loadBalancerPool);
  if (!rangeContains(lan, pool)) {
    problems.push(`homelab:platform.lan.loadBalancerPool = "${platform.lan.loadBalancerPool}": not inside homelab:proxmox.lanCidr "${host.lanCidr}"; Cilium announces these addresses on the LAN by ARP; fix: pick a free block of the LAN outside the router's DHCP range`);
  } else if (rangeContains(pool, address)) {
    problems.push(`homelab:platform.lan.loadBalancerPool = "${platform.lan.loadBalancerPool}": contains the Proxmox host's address ${host.address} (homelab:proxmox.address), which LB-IPAM could hand to a Service; fix: pick a block that no machine uses (outside the router's DHCP range)`);
  }
  const inPool = (key: string, text: string | undefined, what: string) => {
    if (text === undefined) return;
    const ip = parseIpv4(text)!;
    if (rangeContains(lan, ip) && !inLan(ip)) {
      // A /29 pool at the top of the LAN passes the pool check, but its last address is the LAN's broadcast.
      problems.push(`homelab:platform.lan.${key} = "${text}": the ${ip === lan.network ? "network" : "broadcast"} address of homelab:proxmox.lanCidr "${host.lanCidr}", which no machine on the LAN can reach as ${what}; fix: pick another address of ${describePool(pool)}`);
    } else if (!rangeContains(pool, ip)) {
      problems.push(`homelab:platform.lan.${key} = "${text}": not inside homelab:platform.lan.loadBalancerPool "${platform.lan.loadBalancerPool}"; Cilium LB-IPAM gives ${what} a requested address only from that pool, so the Service would stay <pending>; fix: pick one of ${describePool(pool)}`);
    }
  };
  inPool("gatewayIp", platform.lan.gatewayIp, "the LAN Gateway");
  inPool("dnsIp", platform.lan.dnsIp, "AdGuard's DNS Service");
  if (platform.lan.dnsIp !== undefined && platform.lan.dnsIp === platform.lan.gatewayIp) {
    problems.push(`homelab:platform.lan.dnsIp = "${platform.lan.dnsIp}": the same as homelab:platform.lan.gatewayIp; AdGuard Home's DoH port 443 is the Gateway's too, so LB-IPAM cannot share the address; fix: give AdGuard another address of the pool`);
  }
  return problems;
}

function describePool(pool: Ipv4Range): string {
  return pool.size === 1 ? formatIpv4(pool.network) : `${formatIpv4(pool.network)}–${formatIpv4(pool.network + pool.size - 1)}`;
}

function hostProblems(stack: StackName, config: ProdConfig | DevConfig): string[] {
  const problems: string[] = [];
  const host = config["homelab:proxmox"];
  if (host.zfsArcGb >= host.memoryGb) problems.push(`homelab:proxmox.zfsArcGb = ${host.zfsArcGb}: must be below the host memory (${host.memoryGb} GB); fix: pulumi config set --path 'homelab:proxmox.zfsArcGb' 8`);
  const forVms = host.memoryGb - host.zfsArcGb - host.hostReservedGb;
  for (const vm of vmsOf(stack, config)) {
    if (vm.cores > host.cpuThreads) {
      problems.push(`${vm.key}.cores = ${vm.cores}: more vCPUs than the host has threads (homelab:proxmox.cpuThreads = ${host.cpuThreads}); such a VM cannot start; fix: pulumi config set --path '${vm.key}.cores' ${host.cpuThreads} (or fewer)`);
    }
    if (vm.memoryGb > forVms) {
      problems.push(
        `${vm.key}.memoryGb = ${vm.memoryGb}: more than the host can give one VM (${forVms} GB: homelab:proxmox.memoryGb ${host.memoryGb} minus zfsArcGb ${host.zfsArcGb} and hostReservedGb ${host.hostReservedGb}); fix: pulumi config set --path '${vm.key}.memoryGb' ${forVms} (or less)`,
      );
    }
  }
  return problems;
}

function hypervisorProblems(prod: ProdConfig): string[] {
  const problems: string[] = [];
  const zfs = prod["homelab:hypervisor"].zfs;
  const expected = zfs.layout === "mirror" ? 2 : 1;
  if (zfs.disks.length !== expected) {
    problems.push(`homelab:hypervisor.zfs.disks: layout "${zfs.layout}" needs ${expected} disk${expected === 1 ? "" : "s"}, got ${zfs.disks.length}; fix: list the disks or change the layout`);
  }
  const twice = <T>(list: readonly T[]) => list.filter((item, i) => list.indexOf(item) !== i);
  for (const disk of new Set(twice(zfs.disks))) problems.push(`homelab:hypervisor.zfs.disks: "${disk}" is listed twice; a mirror needs two different disks; fix: name each disk once`);
  for (const dataset of new Set(twice(zfs.datasets))) problems.push(`homelab:hypervisor.zfs.datasets: "${dataset}" is listed twice; fix: name each dataset once`);
  for (const dataset of Object.keys(zfs.quotasGb)) {
    if (!zfs.datasets.includes(dataset)) {
      problems.push(`homelab:hypervisor.zfs.quotasGb["${dataset}"]: not one of homelab:hypervisor.zfs.datasets (${zfs.datasets.join(", ")}); fix: correct the name or add the dataset`);
    }
  }
  const host = prod["homelab:proxmox"];
  // A copy on the media pool's own disks is lost with them (and the pool itself as target would
  // make syncoid write each dataset onto itself).
  const replication = zfs.replication;
  if (replication?.kind === "zfs" && replication.target.split("/")[0] === host.zfsPool) {
    problems.push(`homelab:hypervisor.zfs.replication.target = "${replication.target}": on the media pool ${host.zfsPool} itself, so a disk failure takes the copy too; fix: name a dataset on a second pool (a USB disk, a spare drive), such as usb-backup/${host.zfsPool}`);
  }
  const lan = rangeOf(host.lanCidr);
  (prod["homelab:hypervisor"].nfs.clientCidrs ?? []).forEach((client, i) => {
    if (!rangeContains(lan, rangeOf(client))) {
      problems.push(`homelab:hypervisor.nfs.clientCidrs[${i}] = "${client}": outside the home network ${host.lanCidr}; the media exports stay on the home network (the CLOUD cluster reaches them through Twingate)`);
    }
  });
  return problems;
}

/** The home stacks' rules, each reading only the keys it names. */
export function homeRules(stack: StackName): ((config: ProdConfig | DevConfig, inventory: Inventory) => string[])[] {
  return [
    lanProblems,
    (config) => hostProblems(stack, config),
    (config, inventory) => rosterSizes(stack, config, inventory),
    ...(stack === "prod" ? [(config: ProdConfig | DevConfig) => hypervisorProblems(config as ProdConfig)] : []),
  ];
}
