/**
 * The config as zk will use it, for `zk config check`: every default filled in,
 * durations written back as "5m", secrets shown as "[redacted]".
 */
import type { z } from 'zod';
import { formatDuration } from '../util/duration.js';
import { config as configSchema, SECRET_KEYS, type Config } from './schema.js';
import { isDurationSchema, unwrapSchema, schemaAt } from './schema-walk.js';

export const REDACTED = '[redacted]';

const isSecretKey = (key: string): boolean => (SECRET_KEYS as readonly string[]).includes(key);

export function effectiveConfig(config: Config): Record<string, unknown> {
  return render(config, configSchema) as Record<string, unknown>;
}

function render(value: unknown, schema: z.ZodTypeAny | undefined): unknown {
  if (schema && isDurationSchema(schema) && typeof value === 'number') return formatDuration(value);
  if (Array.isArray(value)) {
    const element = schema && schemaAt(unwrapSchema(schema), [0]);
    return value.map((item) => render(item, element));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? REDACTED : render(child, schema && schemaAt(schema, [key]));
    }
    return out;
  }
  return value;
}

/** Every secret value in a loaded config, for the logger's exact-value masking. */
export function configSecrets(config: Config): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key?: string): void => {
    if (typeof value === 'string' && key !== undefined && isSecretKey(key) && value !== '') found.push(value);
    else if (Array.isArray(value)) value.forEach((item) => walk(item));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(config);
  return [...new Set(found)];
}
