/**
 * Whether a user could open a bind mount's source as the kernel decides it for a non-root user
 * without ACLs: search (x) on every directory on the way, read (and search) on the mount and
 * everything under it, write on a read-write mount. Used on a fake root, so that the program's
 * real bundle and sync script are checked as the containers that read them.
 */
import { lstatSync, readdirSync, type Stats } from "node:fs";
import { join, relative, sep } from "node:path";

export interface Identity {
  uid: number;
  gid: number;
}

/** Owners the test could not set for real (a non-root run records the script's chown instead). */
export type OwnerOverrides = ReadonlyMap<string, Identity>;

function may(st: Stats, who: Identity, bits: number, owner: Identity): boolean {
  if (who.uid === 0) return true;
  const mode = st.mode & 0o777;
  if (owner.uid === who.uid) return ((mode >> 6) & bits) === bits;
  if (owner.gid === who.gid) return ((mode >> 3) & bits) === bits;
  return (mode & bits) === bits;
}

const describeMode = (st: Stats, owner: Identity) => `${(st.mode & 0o777).toString(8).padStart(4, "0")} ${owner.uid}:${owner.gid}`;

/**
 * The problems `who` meets opening `path` (inside `root`) as a bind mount: one line each, naming
 * the place relative to the root.
 */
export function mountAccessProblems(root: string, path: string, who: Identity, writable: boolean, overrides: OwnerOverrides = new Map()): string[] {
  const problems: string[] = [];
  const ownerOf = (p: string, st: Stats): Identity => overrides.get(p) ?? { uid: st.uid, gid: st.gid };
  const shown = (p: string) => `/${relative(root, p).split(sep).join("/")}`;
  const parts = relative(root, path).split(sep);
  for (let i = 1; i < parts.length; i++) {
    const dir = join(root, ...parts.slice(0, i));
    const st = lstatSync(dir);
    if (!may(st, who, 1, ownerOf(dir, st))) problems.push(`${shown(dir)} (${describeMode(st, ownerOf(dir, st))}) cannot be traversed`);
  }
  const walk = (p: string, top: boolean) => {
    const st = lstatSync(p);
    const owner = ownerOf(p, st);
    if (st.isDirectory()) {
      if (!may(st, who, 5, owner)) problems.push(`${shown(p)} (${describeMode(st, owner)}) cannot be listed`);
      else for (const child of readdirSync(p)) walk(join(p, child), false);
    } else if (!may(st, who, 4, owner)) problems.push(`${shown(p)} (${describeMode(st, owner)}) cannot be read`);
    if (top && writable && !may(st, who, st.isDirectory() ? 3 : 2, owner)) problems.push(`${shown(p)} (${describeMode(st, owner)}) cannot be written`);
  };
  walk(path, true);
  return problems;
}
