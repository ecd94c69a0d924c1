/**
 * Model references accepted everywhere: `sotu@3` (a version), `sotu:challenger` (an alias),
 * `sotu` (= `sotu:champion`). Parsed once here so every stage reads them the same way.
 */
import { RegistryError } from './registry.errors';

export const DEFAULT_ALIAS = 'champion';

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ALIAS_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const REFERENCE = /^([^@:]+)(?:@([0-9]+)|:([^@:]+))?$/;

export type ModelReference =
  | { readonly kind: 'version'; readonly model: string; readonly n: number; readonly id: string }
  | { readonly kind: 'alias'; readonly model: string; readonly alias: string };

export const versionId = (model: string, n: number): string => `${model}@${n}`;

export function assertModelName(model: string): void {
  if (!MODEL_NAME.test(model)) {
    throw new RegistryError(
      'invalid_reference',
      `invalid model name '${model}': use letters, digits, '.', '_' or '-' (at most 128, starting with a letter or digit)`,
    );
  }
}

export function assertAliasName(alias: string): void {
  if (!ALIAS_NAME.test(alias)) {
    throw new RegistryError(
      'invalid_reference',
      `invalid alias '${alias}': use lowercase letters, digits, '_' or '-' (at most 64, starting with a letter)`,
    );
  }
}

/** Parses a reference; throws `invalid_reference` saying which part is wrong. */
export function parseModelReference(ref: string): ModelReference {
  const match = REFERENCE.exec(ref);
  if (!match) {
    throw new RegistryError('invalid_reference', `invalid model reference '${ref}': expected <model>, <model>@<n> or <model>:<alias>`);
  }
  const [, model = '', n, alias] = match;
  assertModelName(model);
  if (n !== undefined) {
    const number = Number(n);
    if (!Number.isSafeInteger(number) || number < 1) {
      throw new RegistryError('invalid_reference', `invalid model reference '${ref}': version numbers start at 1`);
    }
    return { kind: 'version', model, n: number, id: versionId(model, number) };
  }
  const name = alias ?? DEFAULT_ALIAS;
  assertAliasName(name);
  return { kind: 'alias', model, alias: name };
}
