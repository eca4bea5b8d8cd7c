/**
 * Reads `Pulumi.<stack>.yaml` the way the Pulumi CLI hands config to a program: every value as
 * a string (objects as JSON), with the set of secure keys. Secure values cannot be decrypted
 * offline, so each gets a placeholder that is still marked secret; the program cannot tell.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { RawConfig } from "../../lib/config";

function isSecure(value: unknown): value is { secure: string } {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function decryptOffline(value: unknown, key: string, found: { secret: boolean }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    // Letters, digits and '-' only, so that it passes any token-shaped check a real value would.
    return `offline-placeholder-for-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;
  }
  if (Array.isArray(value)) return value.map((v, i) => decryptOffline(v, `${key}[${i}]`, found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decryptOffline(v, `${key}.${k}`, found)]));
  }
  return value;
}

export function rawConfigFromYaml(text: string, source: string): RawConfig {
  const document: unknown = parse(text);
  const config = document !== null && typeof document === "object" ? (document as { config?: unknown }).config : undefined;
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) throw new Error(`${source}: "config" must be a map of keys to values`);
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(config)) {
    const found = { secret: false };
    const plain = decryptOffline(value, key, found);
    raw[key] = { value: typeof plain === "string" ? plain : JSON.stringify(plain), secret: found.secret };
  }
  return raw;
}

export function readStackFile(stack: string, directory = process.cwd()): RawConfig {
  const path = join(directory, `Pulumi.${stack}.yaml`);
  return rawConfigFromYaml(readFileSync(path, "utf8"), path);
}
