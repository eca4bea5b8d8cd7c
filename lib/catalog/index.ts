/**
 * The app catalog: every app of the homelab, one record each (lib/catalog/apps/*.ts). The
 * program, the policies and the docs read this list; functions take the list as an argument so
 * that a spec can plan a catalog with one more app.
 */
import { cloudApps } from "./apps/cloud";
import { homeApps } from "./apps/home";
import { managementApps } from "./apps/management";
import { monitoringApps } from "./apps/monitoring";
import { platformApps } from "./apps/platform";
import type { AppRecord } from "./types";

export const catalog = [...managementApps, ...platformApps, ...monitoringApps, ...homeApps, ...cloudApps] as const;

/** Every app name of the catalog, as a literal union: a table keyed by app name is `Record<AppName, …>`. */
export type AppName = (typeof catalog)[number]["name"];

/** The catalog as plain records (a spec may widen it with its own). */
export const apps: readonly AppRecord[] = catalog;

export * from "./types";
export { appNamed, appWithRole, optionalAppWithRole } from "./queries";
export { catalogProblems, tierBindingProblems, unhonouredFields } from "./checks";
