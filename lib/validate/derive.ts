/**
 * Pinned files that upstream does not publish on their own: they are cut out of what it does
 * publish, the same way every time, and then checked against their sha256 like any other.
 */
import { untarGzip } from "../tar";

/** The `apiSchema` array of Proxmox's api-viewer/apidata.js, as compact JSON. */
function proxmoxApiSchema(body: Buffer): Buffer {
  const text = body.toString("utf8");
  const marker = "const apiSchema = ";
  const start = text.indexOf(marker);
  const end = text.indexOf("\n;", start);
  if (start < 0 || end < 0) throw new Error("apidata.js: no `const apiSchema = [...];` found");
  return Buffer.from(JSON.stringify(JSON.parse(text.slice(start + marker.length, end))), "utf8");
}

/** One file of a Helm chart archive. */
function fromChartArchive(body: Buffer, member: string): Buffer {
  const file = untarGzip(body).find((f) => f.path === member);
  if (!file) throw new Error(`chart archive: no ${member}`);
  return Buffer.from(file.content, "utf8");
}

/** The pinned file at `path`, derived from the upstream download `body`. */
export function deriveSchemaFile(path: string, body: Buffer): Buffer {
  if (path.startsWith("proxmox/")) return proxmoxApiSchema(body);
  if (path.startsWith("helm/cilium-")) return fromChartArchive(body, path.endsWith(".values.yaml") ? "cilium/values.yaml" : "cilium/values.schema.json");
  throw new Error(`${path}: no derivation is known`);
}
