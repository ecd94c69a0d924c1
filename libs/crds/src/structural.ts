/**
 * zod → a Kubernetes *structural* OpenAPI v3 schema. zod's own `toJSONSchema` (target
 * openapi-3.0) does most of the work; this pass removes what apiextensions.k8s.io/v1 rejects
 * or does not need: `additionalProperties: false` next to `properties` (the apiserver prunes
 * unknown fields instead), untyped `{}` values (→ x-kubernetes-preserve-unknown-fields) and
 * JavaScript's ±2^53-1 integer bounds.
 */
import { z } from 'zod';

export type JsonSchema = { [key: string]: unknown };

const SAFE = Number.MAX_SAFE_INTEGER;

export function toStructural(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'propertyNames') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (key === 'minimum' && value === -SAFE) continue;
    if (key === 'maximum' && value === SAFE) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, toStructural(v)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      const sub = value as JsonSchema;
      out[key] = Object.keys(sub).length === 0 ? { 'x-kubernetes-preserve-unknown-fields': true } : toStructural(sub);
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function openApiSchema(schema: z.ZodType): JsonSchema {
  return toStructural(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input' }) as JsonSchema);
}
