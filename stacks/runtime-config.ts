/**
 * Reads the stack's whole configuration from the Pulumi runtime, with each key's secretness, so
 * that `lib/config` can validate every key at once (the same path runs under `pulumi up` and
 * under the offline plan's mocks).
 */
import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import type { RawConfig } from "../lib/config";

// `isConfigSecret` is public in the runtime but marked @internal in its typings.
const { isConfigSecret } = runtimeConfig as unknown as { isConfigSecret(key: string): boolean };

export function readRuntimeConfig(): RawConfig {
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    raw[key] = { value, secret: isConfigSecret(key) };
  }
  return raw;
}
