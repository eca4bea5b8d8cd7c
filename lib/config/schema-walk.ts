/** Reading a stack schema at a key path: the keys an object there accepts, and which of them are required. */
import { z } from "zod";
import type { KeyPath } from "./messages";

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else return current;
  }
}

/** The schema at `path` (object fields, array elements, record values), or undefined. */
export function schemaAt(root: z.ZodType, path: KeyPath): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(root);
  for (const part of path) {
    if (!current) return undefined;
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(part)];
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else return undefined;
    if (current) current = unwrap(current);
  }
  return current;
}

/** The keys the object at `path` accepts. */
export function keysAt(root: z.ZodType, path: KeyPath): string[] {
  const schema = schemaAt(root, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The keys of the object at `path` that have no default and are not optional. */
export function requiredKeysAt(root: z.ZodType, path: KeyPath): string[] {
  const schema = schemaAt(root, path);
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([key]) => key);
}
