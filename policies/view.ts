/**
 * How the policies see a stack: a list of resources (type, name, URN, input properties,
 * dependencies), what they report, and the property readers every policy and the plan's budgets
 * share. The CrossGuard pack (policies/index.ts) and the offline plan both feed policies this view.
 */
import type { AppRecord } from "../lib/catalog/types";

export type EnforcementLevel = "mandatory" | "advisory";

/** A resource as the policies see it: type, name, URN and its input properties. */
export interface PolicyResourceView {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  /** URNs this resource depends on (dependsOn and property dependencies). */
  dependencies?: readonly string[];
}

export interface PolicyContext {
  /** The app catalog the stack was built from (default: the program's catalog). */
  apps?: readonly AppRecord[];
  /**
   * True in the offline plan, where every secret value arrives as "[secret]". False under
   * CrossGuard, which hands policies secrets already decrypted, without telling which values
   * were secret (pulumi/pulumi-policy#241); there only content that must never appear outside
   * a secret sink is checked, and the offline plan in CI checks secretness exactly.
   */
  secretsVisible: boolean;
}

export interface Violation {
  policy: string;
  level: EnforcementLevel;
  /** URN (CrossGuard) or name (offline plan) of the resource at fault; the stack for totals. */
  resource: string;
  message: string;
}

export interface HomelabPolicy {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  check(resources: readonly PolicyResourceView[], context: PolicyContext): Violation[];
}

export function get(props: unknown, path: string): unknown {
  let current: unknown = props;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
export function num(value: unknown): number {
  return typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : 0;
}
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A Kubernetes label: its key holds dots and slashes, so it cannot go through `get`'s path. */
export function labelOf(props: unknown, label: string): string | undefined {
  const labels = get(props, "metadata.labels");
  return labels !== null && typeof labels === "object" ? str((labels as Record<string, unknown>)[label]) : undefined;
}

export function violationsOf(policy: Pick<HomelabPolicy, "name" | "enforcementLevel">) {
  const found: Violation[] = [];
  return {
    found,
    report(resource: string, message: string) {
      found.push({ policy: policy.name, level: policy.enforcementLevel, resource, message });
    },
  };
}

/** A Kubernetes annotation (its key holds dots and slashes, like a label's). */
export function annotationOf(props: unknown, name: string): string | undefined {
  const annotations = get(props, "metadata.annotations");
  return annotations !== null && typeof annotations === "object" ? str((annotations as Record<string, unknown>)[name]) : undefined;
}

/** Visits every value of a property tree with its path. */
export function walk(value: unknown, path: string[], visit: (value: unknown, path: string[]) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], visit));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

