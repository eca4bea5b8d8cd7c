/** Look-ups in a list of catalog records. */
import type { AppRecord } from "./types";

/** The record with this name; a typo is a programming error, so it throws. */
export function appNamed(name: string, apps: readonly AppRecord[]): AppRecord {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`catalog has no app named "${name}"`);
  return app;
}
