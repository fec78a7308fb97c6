/**
 * Reads the shape of the zod config schema, so messages can suggest known keys
 * and `config check` can render durations back, without a second list of keys
 * that could drift from schema.ts.
 */
import { z } from 'zod';

/** Strips defaults, optionals and refinements (not transforms: those change the type). */
export function unwrapSchema(schema: z.ZodTypeAny): z.ZodTypeAny {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodDefault) current = current._def.innerType;
    else if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap();
    else if (current instanceof z.ZodEffects && current._def.effect.type === 'refinement') current = current.innerType();
    else return current;
  }
}

/** A duration key: a string transformed to milliseconds (see `duration()` in schema.ts). */
export function isDurationSchema(schema: z.ZodTypeAny): boolean {
  const s = unwrapSchema(schema);
  return s instanceof z.ZodEffects && s._def.effect.type === 'transform' && unwrapSchema(s.innerType()) instanceof z.ZodString;
}

/** The schema describing the value at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodTypeAny, path: readonly (string | number)[]): z.ZodTypeAny | undefined {
  let current: z.ZodTypeAny | undefined = root;
  for (const segment of path) {
    const s: z.ZodTypeAny = unwrapSchema(current);
    if (s instanceof z.ZodObject && typeof segment === 'string') current = (s.shape as Record<string, z.ZodTypeAny>)[segment];
    else if (s instanceof z.ZodArray && typeof segment === 'number') current = s.element as z.ZodTypeAny;
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Known keys of the object schema at `path`. */
export function knownKeysAt(root: z.ZodTypeAny, path: readonly (string | number)[]): string[] {
  const s = schemaAt(root, path);
  const inner = s && unwrapSchema(s);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape as object) : [];
}
