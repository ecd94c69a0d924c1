/**
 * Request bodies against their schema, with the first problem reported as OpenAI does: one
 * message naming the parameter, `param` set to its path (`messages[0].content`).
 */
import type { z } from 'zod';
import { InvalidRequestError } from '../serving.errors';
import { UNSUPPORTED } from './openai.schemas';

const paramPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined), root);

export function validateRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError('The request body must be a JSON object.');
  for (const name of Object.keys(body)) {
    const why = UNSUPPORTED[name];
    if (why !== undefined && (body as Record<string, unknown>)[name] != null) {
      throw new InvalidRequestError(`'${name}' is not supported by this server: ${why}.`, name, 'unsupported_parameter');
    }
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const at = paramPath([...issue.path, key]);
    throw new InvalidRequestError(`Unrecognized request argument supplied: ${at}`, at, 'unrecognized_argument');
  }
  const param = paramPath(issue.path);
  if (valueAt(body, issue.path) === undefined) {
    throw new InvalidRequestError(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  }
  throw new InvalidRequestError(`Invalid value for '${param}': ${issue.message}.`, param);
}
