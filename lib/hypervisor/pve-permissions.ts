/**
 * The Proxmox VE 9 role of the program, held to the pinned API schema (proxmox/pve-docs
 * api-viewer, pve-manager 9.1.3): every privilege it names exists (PVE 9 dropped `VM.Monitor`:
 * `pveum role add` fails with "invalid privilege 'VM.Monitor'"), and every API call the Proxmox
 * provider makes for the program's resources is allowed by the role granted on `/`.
 */

/** An API method as the schema describes it (`permissions.check` or only a description). */
interface SchemaMethod {
  permissions?: { check?: unknown[]; description?: string; user?: string } | null;
}
interface SchemaNode {
  path: string;
  info?: Record<string, SchemaMethod>;
  children?: SchemaNode[];
}

/** A call the provider (bpg/proxmox via @muhlba91/pulumi-proxmoxve) makes, and why. */
export interface PveCall {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  why: string;
  /** Where the schema states the rule only in prose: the privileges it names, all required. */
  described?: readonly string[];
}

/** The calls behind the program's Proxmox resources (VmLegacy, download.File, hardware.mapping.Pci). */
export const providerCalls: readonly PveCall[] = [
  { method: "POST", path: "/nodes/{node}/qemu", why: "create a VM", described: ["VM.Allocate", "Datastore.AllocateSpace", "SDN.Use"] },
  { method: "GET", path: "/nodes/{node}/qemu/{vmid}/config", why: "read a VM" },
  { method: "PUT", path: "/nodes/{node}/qemu/{vmid}/config", why: "change a VM" },
  { method: "PUT", path: "/nodes/{node}/qemu/{vmid}/resize", why: "grow a disk" },
  { method: "GET", path: "/nodes/{node}/qemu/{vmid}/status/current", why: "read a VM's state" },
  { method: "POST", path: "/nodes/{node}/qemu/{vmid}/status/start", why: "start a VM" },
  { method: "POST", path: "/nodes/{node}/qemu/{vmid}/status/shutdown", why: "stop a VM cleanly" },
  { method: "POST", path: "/nodes/{node}/qemu/{vmid}/status/stop", why: "stop a VM" },
  { method: "DELETE", path: "/nodes/{node}/qemu/{vmid}", why: "delete a VM" },
  { method: "GET", path: "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", why: "read a VM's addresses from the guest agent" },
  { method: "POST", path: "/nodes/{node}/storage/{storage}/download-url", why: "download the Talos ISO" },
  { method: "GET", path: "/nodes/{node}/storage/{storage}/content", why: "list the ISOs" },
  { method: "DELETE", path: "/nodes/{node}/storage/{storage}/content/{volume}", why: "remove a replaced Talos ISO", described: ["Datastore.Allocate"] },
  { method: "GET", path: "/nodes/{node}/hardware/pci", why: "find the GPU" },
  { method: "POST", path: "/cluster/mapping/pci", why: "map the GPU for the gaming VM" },
  { method: "PUT", path: "/cluster/mapping/pci/{id}", why: "update the GPU mapping" },
];

const privilegeName = /^(Datastore|Group|Mapping|Permissions|Pool|Realm|SDN|Sys|User|VM)\.[A-Za-z]+(\.[A-Za-z]+)?$/;

function nodesOf(schema: readonly SchemaNode[]): SchemaNode[] {
  return schema.flatMap((n) => [n, ...nodesOf(n.children ?? [])]);
}

/** Every privilege name the schema mentions (in its permission checks and descriptions). */
export function pvePrivilegesIn(schema: readonly SchemaNode[]): Set<string> {
  const names = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === "string") {
      for (const word of value.match(/[A-Z][A-Za-z]*\.[A-Za-z]+(?:\.[A-Za-z]+)?/g) ?? []) if (privilegeName.test(word)) names.add(word);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === "object") Object.values(value).forEach(collect);
  };
  for (const node of nodesOf(schema)) for (const method of Object.values(node.info ?? {})) collect(method.permissions ?? {});
  return names;
}

/** Whether a `permissions.check` expression holds for a role with `granted` on `/` (propagated everywhere). */
export function checkHolds(check: unknown, granted: ReadonlySet<string>): boolean {
  if (!Array.isArray(check)) return false;
  const [kind, ...rest] = check as [string, ...unknown[]];
  if (kind === "and") return rest.every((c) => checkHolds(c, granted));
  if (kind === "or") return rest.some((c) => checkHolds(c, granted));
  if (kind === "perm") {
    const [, privileges, any] = rest as [string, string[], string?];
    return any === "any" ? privileges.some((p) => granted.has(p)) : privileges.every((p) => granted.has(p));
  }
  return false;
}

/** Privileges unknown to PVE 9, and provider calls the role would not be allowed to make. */
export function pvePrivilegeProblems(privileges: readonly string[], schema: readonly SchemaNode[]): string[] {
  const problems: string[] = [];
  const known = pvePrivilegesIn(schema);
  for (const p of privileges) if (!known.has(p)) problems.push(`privilege ${p} does not exist in Proxmox VE 9 (pinned API schema); pveum role add would fail`);
  const granted = new Set(privileges);
  const byPath = new Map(nodesOf(schema).map((n) => [n.path, n]));
  for (const call of providerCalls) {
    const permissions = byPath.get(call.path)?.info?.[call.method]?.permissions;
    if (permissions === undefined) {
      problems.push(`${call.method} ${call.path} (${call.why}) is not in the pinned API schema`);
      continue;
    }
    const allowed = call.described ? call.described.every((p) => granted.has(p)) : permissions?.user === "all" || checkHolds(permissions?.check, granted);
    if (!allowed) problems.push(`${call.method} ${call.path} (${call.why}) needs ${call.described?.join(" + ") ?? JSON.stringify(permissions?.check)}`);
  }
  return problems;
}
