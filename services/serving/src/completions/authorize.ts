/**
 * API-key checks of the OpenAI endpoints: `Authorization: Bearer <key>` (401 when missing or
 * unknown) and the key's model scope (403). With SERVING_AUTH=off every request passes.
 */
import { parseModelReference } from '@crucible/registry';
import { type ApiKey, keyAllowsModel } from '../auth/api-keys';
import type { ServingRuntime } from '../serving-runtime';
import { InvalidApiKeyError, MissingApiKeyError, ModelNotAllowedError, ModelNotFoundError } from '../serving.errors';

function authenticate(runtime: ServingRuntime, header: string | undefined): ApiKey | undefined {
  if (!runtime.keys) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw new MissingApiKeyError();
  const key = runtime.keys.authenticate(match[1]!);
  if (!key) throw new InvalidApiKeyError();
  return key;
}

/** The model name of a reference (`sotu` of `sotu@3`, `sotu:challenger`), checked against the key. */
function scope(key: ApiKey | undefined, ref: string): void {
  if (!key) return;
  let model: string;
  try {
    model = parseModelReference(ref).model;
  } catch {
    throw new ModelNotFoundError(ref);
  }
  if (!keyAllowsModel(key, model)) throw new ModelNotAllowedError(ref);
}

export const authorizeModel = { authenticate, scope };
