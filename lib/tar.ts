/**
 * A deterministic tar.gz of small text files (POSIX ustar, every mtime 0, files sorted), so the
 * same documents always give the same bytes: the management VM's bundle changes only when a
 * document does, and `pulumi preview` shows no diff otherwise. GNU tar reads it (tested).
 */
import { gunzipSync, gzipSync } from "node:zlib";

export interface TarFile {
  /** Relative path inside the archive, `/`-separated, no `..`. */
  path: string;
  content: string;
  /** Octal permission bits, default 0o644. */
  mode?: number;
}

/**
 * Every parent directory of the files gets an entry of its own (mode 0o755 unless `directoryModes`
 * names it): GNU tar creates missing parents with the extracting process's umask
 * (src/extract.c: "New intermediate directories will comply with umask at start of program"),
 * so under `umask 077` a containerised reader that is not root could not open them.
 */
export interface TarOptions {
  directoryModes?: Readonly<Record<string, number>>;
}

const block = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(path: string, size: number, mode: number, type: "0" | "5" = "0"): Buffer {
  const buf = Buffer.alloc(block, 0);
  const put = (text: string, offset: number, width: number) => buf.write(text, offset, width, "ascii");
  put(path, 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8); // uid
  put(octal(0, 8), 116, 8); // gid
  put(octal(size, 12), 124, 12);
  put(octal(0, 12), 136, 12); // mtime
  put("        ", 148, 8); // checksum placeholder: eight spaces while summing
  put(type, 156, 1); // "0" regular file, "5" directory
  put("ustar\0", 257, 6);
  put("00", 263, 2);
  let sum = 0;
  for (const byte of buf) sum += byte;
  put(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  return buf;
}

/** The parent directories of the files, each once, parents before children. */
function directoriesOf(files: readonly TarFile[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    const parts = file.path.split("/").slice(0, -1);
    parts.forEach((_, i) => dirs.add(parts.slice(0, i + 1).join("/")));
  }
  return [...dirs].sort();
}

export function tarGzip(files: readonly TarFile[], options: TarOptions = {}): Buffer {
  const seen = new Set<string>();
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  for (const file of sorted) {
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(file.path) || file.path.split("/").includes("..")) {
      throw new Error(`tar: "${file.path}" is not a safe relative path (letters, digits, . _ - and /, no "..")`);
    }
    if (Buffer.byteLength(file.path) > 99) throw new Error(`tar: "${file.path}" is longer than ustar's 99-byte name field`);
    if (seen.has(file.path)) throw new Error(`tar: "${file.path}" appears twice`);
    seen.add(file.path);
  }
  // Directories first (parents before children), then the files.
  const parts: Buffer[] = directoriesOf(sorted).map((dir) => header(`${dir}/`, 0, options.directoryModes?.[dir] ?? 0o755, "5"));
  for (const file of sorted) {
    const body = Buffer.from(file.content, "utf8");
    parts.push(header(file.path, body.length, file.mode ?? 0o644), body, Buffer.alloc((block - (body.length % block)) % block, 0));
  }
  parts.push(Buffer.alloc(block * 2, 0));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

/** Reads a tar.gz of regular files (ustar, as written above or by GNU tar). */
export function untarGzip(archive: Buffer): TarFile[] {
  const data = gunzipSync(archive);
  const files: TarFile[] = [];
  for (let offset = 0; offset + block <= data.length; ) {
    const header = data.subarray(offset, offset + block);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, width: number) => header.subarray(start, start + width).toString("ascii").replace(/\0.*$/s, "");
    const prefix = field(345, 155);
    const name = field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const body = data.subarray(offset + block, offset + block + size);
    if (type === "0") files.push({ path: prefix ? `${prefix}/${name}` : name, content: body.toString("utf8"), mode: Number.parseInt(field(100, 8).trim() || "644", 8) });
    offset += block + Math.ceil(size / block) * block;
  }
  return files;
}
