/**
 * homelab: one Pulumi program, three stacks (stacks/):
 *
 *   cloud  Oracle Cloud Always Free (network, management VM, CLOUD nodes, backup bucket) and
 *          Cloudflare (tunnels, DNS, Access, zone security). Reads no other stack.
 *   prod   The Proxmox host, the PROD cluster VMs and the on-demand gaming VM. Reads `cloud`.
 *   dev    The DEV cluster VM. Reads `cloud`.
 *
 * Pulumi calls the exported function and uses what it returns as the stack outputs.
 */
import { createProgram } from "./stacks/program";

export = createProgram();
