/** Look-ups in a list of catalog records. */
import { appRoles, type AppRecord, type AppRole } from "./types";

/** The record with this name; a typo is a programming error, so it throws. */
export function appNamed(name: string, apps: readonly AppRecord[]): AppRecord {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`catalog has no app named "${name}"`);
  return app;
}

/** The app that plays `role`; the catalog check makes sure each required role is played once. */
export function appWithRole(apps: readonly AppRecord[], role: AppRole): AppRecord {
  const found = apps.filter((a) => a.role === role);
  if (found.length !== 1) throw new Error(`the catalog needs exactly one app with role "${role}" (${appRoles[role].why}); found ${found.map((a) => a.name).join(", ") || "none"}`);
  return found[0]!;
}

/** The app that plays `role`, if any (optional roles). */
export function optionalAppWithRole(apps: readonly AppRecord[], role: AppRole): AppRecord | undefined {
  return apps.find((a) => a.role === role);
}
