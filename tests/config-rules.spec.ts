import { strict as assert } from "node:assert";
import { loadStackConfig, type CloudConfig, type DevConfig, type ProdConfig, type RawConfig, type StackName } from "../lib/config";
import { memoryLimitsMiB } from "../lib/management-vm/documents";
import { rawConfigFromYaml } from "../tooling/plan/stack-file";
import { editObject, exampleConfig, withKey, configProblems } from "./helpers";

/** What the management VM's Compose services may use together (their limits change with the services). */
const composeMiB = Object.values(memoryLimitsMiB).reduce((sum, n) => sum + n, 0);

interface Configs {
  cloud: CloudConfig;
  prod: ProdConfig;
  dev: DevConfig;
}

/** A value as it may stand in a hand-edited stack file, whatever the schema says. */
type Loose = Record<string, unknown>;

/** The example config of `stack` with the object under `key` changed. */
function edit<S extends StackName, K extends keyof Configs[S] & string>(stack: S, key: K, change: (value: Configs[S][K]) => void): RawConfig {
  return editObject<Configs[S][K]>(exampleConfig(stack), key, change);
}

const problemsOf = configProblems;

/**
 * Every class of bad config the issue lists, each with the exact lines the admin gets: the key
 * as `pulumi config --path` spells it, the value when it is safe to show, what is wrong for the
 * place the value is used, and the command that fixes it.
 */
const cases: { name: string; stack: StackName; raw: () => RawConfig; lines: string[] }[] = [
  {
    name: "a LAN of /0 (the whole internet)",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.lanCidr = "192.0.2.0/0")),
    lines: [
      "homelab:proxmox.lanCidr = \"192.0.2.0/0\": /0 is the whole internet, not a home LAN range; expected a range such as 192.168.1.0/24; fix: pulumi config set --path 'homelab:proxmox.lanCidr' <value>"
    ],
  },
  {
    name: "a prefix written /00",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.lanCidr = "0.0.0.0/00")),
    lines: [
      "homelab:proxmox.lanCidr = \"0.0.0.0/00\": prefix \"/00\" is not a number from 0 to 32 without leading zeros; expected a home LAN range such as 192.168.1.0/24; fix: pulumi config set --path 'homelab:proxmox.lanCidr' <value>"
    ],
  },
  {
    name: "a public range as the LAN",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.lanCidr = "8.8.8.0/24")),
    lines: [
      "homelab:proxmox.lanCidr = \"8.8.8.0/24\": is a public internet range, not a home LAN range; expected a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 such as 192.168.1.0/24; fix: pulumi config set --path 'homelab:proxmox.lanCidr' <value>"
    ],
  },
  {
    name: "a Proxmox node name longer than one DNS label",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.nodeName = "p".repeat(70))),
    lines: [
      `homelab:proxmox.nodeName = "${"p".repeat(70)}": expected the Proxmox node name (Datacenter → node, a host name of at most 63 lower-case letters, digits and inner '-'), e.g. pve; fix: pulumi config set --path 'homelab:proxmox.nodeName' <value>`,
    ],
  },
  {
    name: "a LAN written with a host address",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.lanCidr = "192.0.2.10/24")),
    lines: [
      "homelab:proxmox.lanCidr = \"192.0.2.10/24\": 192.0.2.10 is a host address inside the range, not its network address; fix: use 192.0.2.0/24"
    ],
  },
  {
    name: "an address with a leading zero",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.address = "192.0.2.010")),
    lines: [
      "homelab:proxmox.address = \"192.0.2.010\": expected an IPv4 address such as 192.168.1.10 (four numbers 0–255, no leading zeros); fix: pulumi config set --path 'homelab:proxmox.address' <value>"
    ],
  },
  {
    name: "a LoadBalancer pool outside the LAN",
    stack: "dev",
    raw: () => edit("dev", "homelab:platform", (p) => { p.lan.loadBalancerPool = "10.9.9.0/29"; p.lan.gatewayIp = "10.9.9.1"; }),
    lines: [
      "homelab:platform.lan.loadBalancerPool = \"10.9.9.0/29\": not inside homelab:proxmox.lanCidr \"192.0.2.0/24\"; Cilium announces these addresses on the LAN by ARP; fix: pick a free block of the LAN outside the router's DHCP range"
    ],
  },
  {
    name: "a Gateway address outside its pool",
    stack: "dev",
    raw: () => edit("dev", "homelab:platform", (p) => (p.lan.gatewayIp = "192.0.2.20")),
    lines: [
      "homelab:platform.lan.gatewayIp = \"192.0.2.20\": not inside homelab:platform.lan.loadBalancerPool \"192.0.2.240/29\"; Cilium LB-IPAM gives the LAN Gateway a requested address only from that pool, so the Service would stay <pending>; fix: pick one of 192.0.2.240–192.0.2.247"
    ],
  },
  {
    name: "a Gateway on the LAN's broadcast address, in a pool at the top of the LAN",
    stack: "dev",
    raw: () => edit("dev", "homelab:platform", (p) => { p.lan.loadBalancerPool = "192.0.2.248/29"; p.lan.gatewayIp = "192.0.2.255"; }),
    lines: [
      "homelab:platform.lan.gatewayIp = \"192.0.2.255\": the broadcast address of homelab:proxmox.lanCidr \"192.0.2.0/24\", which no machine on the LAN can reach as the LAN Gateway; fix: pick another address of 192.0.2.248–192.0.2.255"
    ],
  },
  {
    name: "AdGuard's address equal to the Gateway's",
    stack: "prod",
    raw: () => edit("prod", "homelab:platform", (p) => (p.lan.dnsIp = "192.0.2.225")),
    lines: [
      "homelab:platform.lan.dnsIp = \"192.0.2.225\": the same as homelab:platform.lan.gatewayIp; AdGuard Home's DoH port 443 is the Gateway's too, so LB-IPAM cannot share the address; fix: give AdGuard another address of the pool"
    ],
  },
  {
    name: "a pool holding the Proxmox host",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => (p.address = "192.0.2.242")),
    lines: [
      "homelab:platform.lan.loadBalancerPool = \"192.0.2.240/29\": contains the Proxmox host's address 192.0.2.242 (homelab:proxmox.address), which LB-IPAM could hand to a Service; fix: pick a block that no machine uses (outside the router's DHCP range)"
    ],
  },
  {
    name: "a VCN wider than OCI allows",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => (o.vcnCidr = "10.0.0.0/8")),
    lines: [
      "homelab:oci.vcnCidr = \"10.0.0.0/8\": a /8 is not a VCN range (expected a prefix from /16 to /30, such as 10.20.0.0/16); fix: pulumi config set --path 'homelab:oci.vcnCidr' <value>"
    ],
  },
  {
    name: "shell code in the ZFS alert e-mail (zed.rc is sourced)",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => (h.alertEmail = "root$(reboot)@example.com")),
    lines: [
      "homelab:hypervisor.alertEmail = \"root$(reboot)@example.com\": expected an e-mail address such as admin@example.com (letters, digits and . _ % + - before the @: it is written into shell-sourced files and comma-separated lists); fix: pulumi config set --path 'homelab:hypervisor.alertEmail' <value>"
    ],
  },
  {
    name: "two addresses in one admin e-mail entry (Omni splits on commas)",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:adminEmails", ["admin@example.com,evil@example.org"]),
    lines: [
      "homelab:adminEmails[0] = \"admin@example.com,evil@example.org\": expected an e-mail address such as admin@example.com (letters, digits and . _ % + - before the @: it is written into shell-sourced files and comma-separated lists); fix: pulumi config set --path 'homelab:adminEmails[0]' <value>"
    ],
  },
  {
    name: "credentials in the Proxmox API URL",
    stack: "prod",
    raw: () => withKey(exampleConfig("prod"), "proxmoxve:endpoint", "https://root:Sup3rS3cret@192.0.2.10:8006/"),
    lines: [
      "proxmoxve:endpoint = \"https://root:[hidden]@192.0.2.10:8006/\": holds credentials (user:password@), which plain config would publish; fix: remove them from the URL (and change that password if the file was committed)"
    ],
  },
  {
    name: "a path in the Proxmox API URL",
    stack: "prod",
    raw: () => withKey(exampleConfig("prod"), "proxmoxve:endpoint", "https://192.0.2.10:8006/api2/json"),
    lines: [
      "proxmoxve:endpoint = \"https://192.0.2.10:8006/api2/json\": expected the Proxmox API URL without a path, such as https://192.168.1.10:8006/; fix: pulumi config set proxmoxve:endpoint <value>"
    ],
  },
  {
    name: "a disk path with a comma",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => (h.zfs.disks[1] = "/dev/disk/by-id/ata-B,rm")),
    lines: [
      "homelab:hypervisor.zfs.disks[1] = \"/dev/disk/by-id/ata-B,rm\": expected a stable disk path /dev/disk/by-id/… (ls -l /dev/disk/by-id), letters, digits and . _ : + - only; fix: pulumi config set --path 'homelab:hypervisor.zfs.disks[1]' <value>"
    ],
  },
  {
    name: "a partition instead of a disk",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => (h.zfs.disks[1] = "/dev/disk/by-id/ata-EXAMPLE_20TB_DISK_B-part1")),
    lines: [
      "homelab:hypervisor.zfs.disks[1] = \"/dev/disk/by-id/ata-EXAMPLE_20TB_DISK_B-part1\": names a partition; fix: give the whole disk (the same path without -partN)"
    ],
  },
  {
    name: "the same disk twice in a mirror",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => (h.zfs.disks[1] = h.zfs.disks[0])),
    lines: [
      "homelab:hypervisor.zfs.disks: \"/dev/disk/by-id/ata-EXAMPLE_20TB_DISK_A\" is listed twice; a mirror needs two different disks; fix: name each disk once"
    ],
  },
  {
    name: "SSH options in the SSH user",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => (h.sshUser = "root -oProxyCommand=x")),
    lines: [
      "homelab:hypervisor.sshUser = \"root -oProxyCommand=x\": expected a Unix user name such as root; fix: pulumi config set --path 'homelab:hypervisor.sshUser' <value>"
    ],
  },
  {
    name: "a Proxmox storage id with a colon",
    stack: "prod",
    raw: () => edit("prod", "homelab:proxmox", (h) => (h.datastore = "local:iso")),
    lines: [
      "homelab:proxmox.datastore = \"local:iso\": expected a Proxmox storage id such as local-zfs (Datacenter → Storage); fix: pulumi config set --path 'homelab:proxmox.datastore' <value>"
    ],
  },
  {
    name: "an NFS server that is not an address",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:platform", (p) => (p.nfsServer = "nfs server;rm")),
    lines: [
      "homelab:platform.nfsServer = \"nfs server;rm\": expected an IPv4 address such as 192.168.1.10 (four numbers 0–255, no leading zeros); fix: pulumi config set --path 'homelab:platform.nfsServer' <value>"
    ],
  },
  {
    name: "an x86 E2.1.Micro for a Talos node",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => (o.instances[2].shape = "VM.Standard.E2.1.Micro")),
    lines: [
      "homelab:oci.instances[2].shape = \"VM.Standard.E2.1.Micro\": an x86 shape, but the talos role boots the arm64 Talos image; fix: pulumi config set --path 'homelab:oci.instances[2].shape' VM.Standard.A1.Flex (the default)"
    ],
  },
  {
    name: "an x86 E2.1.Micro for the management VM",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => { o.instances[0].shape = "VM.Standard.E2.1.Micro"; o.instances[0].memoryGb = 1; }),
    lines: [
      "homelab:oci.instances[0].shape = \"VM.Standard.E2.1.Micro\": an x86 shape, but the mgmt role runs the Ubuntu image looked up for A1 (arm64); fix: pulumi config set --path 'homelab:oci.instances[0].shape' VM.Standard.A1.Flex (the default)",
      `homelab:oci.instances[0].memoryGb = 1: the management VM's Compose services may use ${composeMiB} MiB together (lib/management-vm/documents.ts) and the OS needs ~512 MiB more; fix: pulumi config set --path 'homelab:oci.instances[0].memoryGb' 6 (or more)`
    ],
  },
  {
    name: "less A1 memory than OCPUs",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => (o.instances[1].memoryGb = 1)),
    lines: [
      "homelab:oci.instances[1].memoryGb = 1: VM.Standard.A1.Flex takes 1 to 64 GB per OCPU (2 OCPU here); fix: pulumi config set --path 'homelab:oci.instances[1].memoryGb' <2–128>"
    ],
  },
  {
    name: "a management VM smaller than its Compose limits",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => (o.instances[0].memoryGb = 4)),
    lines: [
      `homelab:oci.instances[0].memoryGb = 4: the management VM's Compose services may use ${composeMiB} MiB together (lib/management-vm/documents.ts) and the OS needs ~512 MiB more; fix: pulumi config set --path 'homelab:oci.instances[0].memoryGb' 6 (or more)`
    ],
  },
  {
    name: "a VM with more vCPUs than the host has threads",
    stack: "prod",
    raw: () => edit("prod", "homelab:vms", (v) => (v.worker.cores = 24)),
    lines: [
      "homelab:vms.worker.cores = 24: more vCPUs than the host has threads (homelab:proxmox.cpuThreads = 16); such a VM cannot start; fix: pulumi config set --path 'homelab:vms.worker.cores' 16 (or fewer)"
    ],
  },
  {
    name: "a VM with more memory than the host can give one VM",
    stack: "prod",
    raw: () => edit("prod", "homelab:gaming", (g) => (g.size.memoryGb = 60)),
    lines: [
      "homelab:gaming.size.memoryGb = 60: more than the host can give one VM (58 GB: homelab:proxmox.memoryGb 64 minus zfsArcGb 6 and hostReservedGb 0); fix: pulumi config set --path 'homelab:gaming.size.memoryGb' 58 (or less)"
    ],
  },
  {
    name: "the same machine id twice in the CLOUD template",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:cloudMachineIds", (m) => (m!.workers[0] = m!.controlPlane)),
    lines: [
      "homelab:cloudMachineIds.workers[0] = \"0b6f3c1e-2a4d-4e8b-9c1f-3d5e7a9b1c2d\": the same machine id twice in the cluster template; fix: each A1 node has its own id (Omni → Machines)"
    ],
  },
  {
    name: "more machine ids than A1 nodes",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:cloudMachineIds", (m) => m!.workers.push("11111111-2222-4333-8444-555555555555")),
    lines: [
      "homelab:cloudMachineIds: names 3 machines, but homelab:oci.instances has 2 with role \"talos\"; fix: list only the ids of the A1 nodes that exist"
    ],
  },
  {
    name: "a backup bucket named like the Talos staging bucket",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:backup", (b) => (b.bucketName = "cloud-talos-staging")),
    lines: [
      "homelab:backup.bucketName = \"cloud-talos-staging\": the program creates a bucket of that name for another purpose (lib/oci/buckets.ts); fix: pulumi config set --path 'homelab:backup.bucketName' homelab-backups"
    ],
  },
  {
    name: "a Talos release newer than the versions module knows",
    stack: "dev",
    raw: () => withKey(exampleConfig("dev"), "homelab:talosVersion", "v1.9.99"),
    lines: [
      "homelab:talosVersion = \"v1.9.99\": is newer than v1.9.6, the newest Talos v1.9 release this program knows (lib/versions.ts, kept current by Renovate); fix: use v1.9.6 or an earlier v1.9 release"
    ],
  },
  {
    name: "a Kubernetes release newer than the versions module knows",
    stack: "prod",
    raw: () => withKey(exampleConfig("prod"), "homelab:kubernetesVersion", "v1.32.77"),
    lines: [
      "homelab:kubernetesVersion = \"v1.32.77\": is newer than v1.32.3, the newest Kubernetes v1.32 release this program knows (lib/versions.ts, kept current by Renovate); fix: use v1.32.3 or an earlier v1.32 release"
    ],
  },
  {
    name: "a Talos patch that brings back flannel and kube-proxy and pins another Kubernetes",
    stack: "dev",
    raw: () => withKey(exampleConfig("dev"), "homelab:talosPatches", [{ name: "undo", target: "cluster", patch: { cluster: { network: { cni: { name: "flannel" } }, proxy: { disabled: false }, apiServer: { image: "registry.k8s.io/kube-apiserver:v1.31.0" } } } }]),
    lines: [
      "homelab:talosPatches[0].patch.cluster.network.cni.name: the program owns cluster.network.cni: Cilium is the cluster's CNI (story 1.5.1), and another CNI, flannel included, would fight it; fix: remove it from the patch",
      "homelab:talosPatches[0].patch.cluster.proxy.disabled: the program owns cluster.proxy: Cilium replaces kube-proxy (story 1.5.1), so kube-proxy stays disabled; fix: remove it from the patch",
      "homelab:talosPatches[0].patch.cluster.apiServer.image: the program owns cluster.apiServer.image: the Kubernetes version comes from homelab:kubernetesVersion; fix: remove it from the patch and set homelab:kubernetesVersion instead"
    ],
  },
  {
    name: "a Talos patch for workers on a cluster without workers",
    stack: "dev",
    raw: () => withKey(exampleConfig("dev"), "homelab:talosPatches", [{ name: "w", target: "workers", patch: { machine: { sysctls: { "vm.max_map_count": "262144" } } } }]),
    lines: [
      "homelab:talosPatches[0].target = \"workers\": the dev cluster has no workers, so this patch would apply to nothing; fix: pulumi config set --path 'homelab:talosPatches[0].target' cluster"
    ],
  },
  {
    name: "two Talos patches with one name",
    stack: "dev",
    raw: () => withKey(exampleConfig("dev"), "homelab:talosPatches", [{ name: "w", target: "cluster", patch: {} }, { name: "w", target: "cluster", patch: {} }]),
    lines: [
      "homelab:talosPatches[1].name = \"w\": two patches share this name, and Omni keys patches by name; fix: rename one"
    ],
  },
  {
    name: "homelab:oci.homeCidrs, which nothing reads",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => ((o as Loose).homeCidrs = ["192.0.2.0/24"])),
    lines: [
      "homelab:oci.homeCidrs = [\"192.0.2.0/24\"]: is no longer read: nothing at home is opened to the VCN (the CLOUD cluster reaches home through Twingate, the machines reach Omni through the tunnel); fix: pulumi config rm --path 'homelab:oci.homeCidrs'"
    ],
  },
  {
    name: "a quota for a dataset that does not exist",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => (h.zfs.quotasGb = { "media/film": 8000 })),
    lines: [
      "homelab:hypervisor.zfs.quotasGb[\"media/film\"]: not one of homelab:hypervisor.zfs.datasets (media/films, media/series, media/music, media/audiobooks, media/books, media/comics, media/roms, media/photos, media/volumes, backups); fix: correct the name or add the dataset"
    ],
  },
  {
    name: "a join token that cannot be a kernel argument",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:omniJoinToken", "abc def", true),
    lines: [
      "homelab:omniJoinToken = [secret]: is not an Omni join token (letters, digits, '-' and '_'; copy it from Omni → Settings → Machines); fix: pulumi config set --secret homelab:omniJoinToken <value>"
    ],
  },
  {
    name: "a password the Compose env file cannot hold",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:postgresPassword", "it's", true),
    lines: [
      "homelab:postgresPassword = [secret]: contains a single quote or a line break, which the management VM's Compose env file cannot hold literally; fix: pulumi config set --secret homelab:postgresPassword <value> (a value without them)"
    ],
  },
  {
    name: "an empty secret",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:postgresPassword", "", true),
    lines: [
      "homelab:postgresPassword = [secret]: is an empty secret; fix: pulumi config set --secret homelab:postgresPassword <value>"
    ],
  },
  {
    name: "a misspelt homelab:secretGenerations name (the identity layer's names, checked before any resource)",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:secretGenerations", { HOMELAB_TOKEN_CI_GITHB: 2 }),
    lines: [
      "homelab:secretGenerations.HOMELAB_TOKEN_CI_GITHB: the program generates no secret of that name, did you mean HOMELAB_TOKEN_CI_GITHUB?; fix: pulumi config rm --path 'homelab:secretGenerations.HOMELAB_TOKEN_CI_GITHB', then pulumi config set --path 'homelab:secretGenerations.HOMELAB_TOKEN_CI_GITHUB' 2"
    ],
  },
  {
    name: "a nested unknown key",
    stack: "cloud",
    raw: () => edit("cloud", "homelab:oci", (o) => { const node = o.instances[1] as Loose; node.ocpu = node.ocpus; delete node.ocpus; }),
    lines: [
      "homelab:oci.instances[1].ocpu = 2: unknown key, did you mean homelab:oci.instances[1].ocpus?; fix: pulumi config rm --path 'homelab:oci.instances[1].ocpu', then pulumi config set --path 'homelab:oci.instances[1].ocpus' <value>"
    ],
  },
  {
    name: "an empty value",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:domain", ""),
    lines: [
      "homelab:domain = (empty): is empty; expected a lower-case DNS name such as example.com (internationalised names in punycode, e.g. example.xn--p1ai); fix: pulumi config set homelab:domain <value>"
    ],
  },
  {
    name: "an empty nested value",
    stack: "dev",
    raw: () => edit("dev", "homelab:proxmox", (p) => ((p as Loose).lanCidr = null)),
    lines: [
      "homelab:proxmox.lanCidr = (empty): is empty; expected a home LAN range such as 192.168.1.0/24; fix: pulumi config set --path 'homelab:proxmox.lanCidr' <value>"
    ],
  },
  {
    name: "a quoted number",
    stack: "dev",
    raw: () => edit("dev", "homelab:vms", (v) => ((v.node as Loose).cores = "2")),
    lines: [
      "homelab:vms.node.cores = \"2\": expected a number, got a quoted number (write it without quotes); fix: pulumi config set --path 'homelab:vms.node.cores' <value>"
    ],
  },
  {
    name: "a fraction where a whole number belongs",
    stack: "dev",
    raw: () => edit("dev", "homelab:vms", (v) => (v.node.cores = 2.5)),
    lines: [
      "homelab:vms.node.cores = 2.5: expected a whole number of vCPUs; fix: pulumi config set --path 'homelab:vms.node.cores' <value>"
    ],
  },
  {
    name: "a value out of range",
    stack: "prod",
    raw: () => edit("prod", "homelab:proxmox", (p) => (p.zfsArcGb = 99)),
    lines: [
      "homelab:proxmox.zfsArcGb = 99: expected at most 32 GB of ZFS ARC (story 1.1.2: ~8 GB); fix: pulumi config set --path 'homelab:proxmox.zfsArcGb' <value>"
    ],
  },
  {
    name: "a value outside an enum",
    stack: "prod",
    raw: () => edit("prod", "homelab:hypervisor", (h) => ((h.zfs as Loose).layout = "raidz")),
    lines: [
      "homelab:hypervisor.zfs.layout = \"raidz\": expected \"mirror\" (two disks) or \"single\" (one disk, with backups); fix: pulumi config set --path 'homelab:hypervisor.zfs.layout' <value>"
    ],
  },
  {
    name: "an empty list",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:adminEmails", []),
    lines: [
      "homelab:adminEmails = []: expected at least one admin e-mail (Cloudflare Access allows these in front of admin apps); fix: pulumi config set --path 'homelab:adminEmails[0]' <value>"
    ],
  },
  {
    name: "an object written as one value",
    stack: "cloud",
    raw: () => withKey(exampleConfig("cloud"), "homelab:cloudflare", "0123456789abcdef0123456789abcdef"),
    lines: [
      "homelab:cloudflare = \"0123456789abcdef0123456789abcdef\": expected an object (nested keys), got text; fix: pulumi config rm homelab:cloudflare, then pulumi config set --path 'homelab:cloudflare.accountId' <value>, and likewise for zoneId"
    ],
  },
  {
    name: "text where true/false belongs",
    stack: "dev",
    raw: () => withKey(exampleConfig("dev"), "proxmoxve:insecure", "yes"),
    lines: [
      "proxmoxve:insecure = \"yes\": expected true or false; fix: pulumi config set proxmoxve:insecure <value>"
    ],
  },
];

describe("config check: one exact line per problem, before any resource", () => {
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      assert.deepEqual(problemsOf(c.stack, c.raw()), c.lines);
    });
  }

  it("lists the schema's problems and the rules across keys in the same run", () => {
    let raw = editObject<Loose>(exampleConfig("cloud"), "homelab:backup", (b) => (b.bucketName = "cloud-talos-staging"));
    raw = editObject<{ instances: Loose[] }>(raw, "homelab:oci", (o) => {
      o.instances[1]!.ocpu = 2;
      delete o.instances[1]!.ocpus;
    });
    assert.deepEqual(problemsOf("cloud", raw), [
      "homelab:oci.instances[1].ocpu = 2: unknown key, did you mean homelab:oci.instances[1].ocpus?; fix: pulumi config rm --path 'homelab:oci.instances[1].ocpu', then pulumi config set --path 'homelab:oci.instances[1].ocpus' <value>",
      "homelab:backup.bucketName = \"cloud-talos-staging\": the program creates a bucket of that name for another purpose (lib/oci/buckets.ts); fix: pulumi config set --path 'homelab:backup.bucketName' homelab-backups",
    ]);
  });

  it("accepts an internationalised (punycode) top-level domain for the domain and the e-mails", () => {
    let raw = withKey(exampleConfig("cloud"), "homelab:domain", "example.xn--p1ai");
    raw = withKey(raw, "homelab:adminEmails", ["admin@example.xn--p1ai"]);
    assert.equal(loadStackConfig("cloud", raw).config["homelab:domain"], "example.xn--p1ai");
  });

  it("reads an empty stack file as missing keys, each secret with --secret and never as a plain value", () => {
    const lines = problemsOf("dev", {});
    assert.ok(lines.includes("proxmoxve:apiToken = (missing): is required but missing; fix: pulumi config set --secret proxmoxve:apiToken <value>"), lines.join("\n"));
    assert.ok(lines.includes("homelab:cloudStack = (missing): is required but missing; expected \"<organization>/<project>/cloud\", the fully qualified cloud stack; fix: pulumi config set homelab:cloudStack <value>"), lines.join("\n"));
    assert.ok(
      lines.includes("homelab:proxmox = (missing): is required but missing; fix: pulumi config set --path 'homelab:proxmox.address' <value> (its required fields: address, lanCidr; see the example Pulumi.dev.yaml)"),
      lines.join("\n"),
    );
    assert.ok(!lines.some((l) => /plain value|null/.test(l)), lines.join("\n"));
  });

  it("keeps the home LAN out of Twingate's 100.64.0.0/10, as nfsServer", () => {
    const raw = edit("dev", "homelab:proxmox", (p) => (p.lanCidr = "100.64.0.0/24"));
    assert.ok(
      problemsOf("dev", raw).some((l) => l.startsWith('homelab:proxmox.lanCidr = "100.64.0.0/24": is not a home LAN range: 100.64.0.0/10 is Twingate\'s')),
      problemsOf("dev", raw).join("\n"),
    );
  });

  it("names a key with a non-ASCII letter (which Pulumi accepts) as unknown, with the key meant", () => {
    const raw = rawConfigFromYaml(`config:\n  homelab:dömain: example.com\n`, "Pulumi.dev.yaml");
    assert.ok(
      problemsOf("dev", { ...exampleConfig("dev"), ...raw }).includes(
        "homelab:dömain = \"example.com\": unknown key, did you mean homelab:domain?; fix: pulumi config rm homelab:dömain, then pulumi config set homelab:domain <value>",
      ),
    );
  });

  it("lists 20 unknown keys of a map one line each and counts the rest in one line (a pasted file of another tool)", () => {
    const raw: RawConfig = { ...exampleConfig("dev") };
    for (let i = 0; i < 2000; i++) raw[`other:setting${i}`] = { value: String(i), secret: false };
    const lines = problemsOf("dev", raw);
    assert.equal(lines.length, 21, lines.slice(0, 3).join("\n"));
    assert.ok(lines.slice(0, 20).every((l) => /^other:setting\d+ = \d+: unknown key; /.test(l)), lines[0]);
    assert.equal(lines[20], "Pulumi.dev.yaml: 1980 more unknown keys after the 20 above; fix: compare the file with the example Pulumi.dev.yaml in the repository and remove every key it does not have");
  });

  it("keeps to one line per key: a credential or a misspelling is not reported again as a schema error", () => {
    const raw = withKey(exampleConfig("cloud"), "homelab:sshPublicKey", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----");
    assert.deepEqual(problemsOf("cloud", raw), [
      "homelab:sshPublicKey = [hidden: looks like a private key]: a credential in plain config is stored in Git and printed by every tool; fix: pulumi config rm homelab:sshPublicKey, rotate it, and set what this key expects (expected an OpenSSH public key line (ssh-ed25519 AAAA… comment), the content of your key's .pub file)",
    ]);
  });
});
