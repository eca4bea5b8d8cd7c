/**
 * Helm values as Helm sees them: the chart's own values.yaml with the user's values coalesced over
 * it (maps merge key by key, a user `null` deletes the key, anything else replaces; Helm
 * pkg/chartutil/coalesce.go), which is what the chart's values.schema.json is checked against. And
 * the keys a user sets that the chart does not know: a misspelled or unsupported key passes a
 * schema without `additionalProperties: false` and is silently ignored by the templates.
 */

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => v !== null && typeof v === "object" && !Array.isArray(v);

/** The user's values over the chart's defaults, as Helm coalesces them. */
export function coalesceValues(defaults: unknown, user: unknown): unknown {
  if (!isMap(defaults) || !isMap(user)) return user === undefined ? defaults : user;
  const merged: Values = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete merged[key];
    else merged[key] = key in defaults ? coalesceValues(defaults[key], value) : value;
  }
  return merged;
}

/**
 * The user's key paths that the chart's values.yaml does not define, below maps the chart fills
 * itself (an empty map or `null` in values.yaml is the user's to fill: annotations, resources…).
 * `known` lists paths the templates read although values.yaml leaves them out (or only shows them
 * in a comment), each checked in the chart's templates at the pinned version.
 */
export function unknownUserKeys(user: unknown, defaults: unknown, known: readonly string[] = [], path: string[] = []): string[] {
  if (!isMap(user) || !isMap(defaults) || Object.keys(defaults).length === 0) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(user)) {
    const here = [...path, key];
    const name = here.join(".");
    if (known.some((k) => name === k || name.startsWith(`${k}.`))) continue;
    if (!(key in defaults)) found.push(name);
    else found.push(...unknownUserKeys(value, defaults[key], known, here));
  }
  return found;
}
