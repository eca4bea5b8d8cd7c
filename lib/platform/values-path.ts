/** Reading Helm values by dotted path, with the chart's default when the user set nothing. */
import type { Values } from "../catalog/types";

/** The value at `path` (dot-separated keys; a key may itself contain dots when given as an array). */
export function valueAt(values: Values, path: string | readonly string[]): unknown {
  const keys = typeof path === "string" ? path.split(".") : path;
  let current: unknown = values;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The value at `path`, or the chart's default when the user values leave it unset. */
export function valueOr<T>(values: Values, path: string | readonly string[], chartDefault: T): T | unknown {
  const found = valueAt(values, path);
  return found === undefined ? chartDefault : found;
}

/** Whether the value at `path` is true, with the chart's default when unset. */
export function enabled(values: Values, path: string, chartDefault: boolean): boolean {
  return valueOr(values, path, chartDefault) === true;
}
