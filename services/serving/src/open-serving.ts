/**
 * Builds the serving module's options from a data directory and an open registry.
 *
 * @example
 * const registry = await openRegistry(registryUrlFrom(process.env, dataDir));
 * ServingModule.forRoot(openServing({ dataDir, registry, settings: { auth: 'off' } }));
 */
import type { Registry } from '@crucible/registry';
import type { TextModel, TextModelOptions } from '@crucible/model-artifact';
import { ValidationError } from '@crucible/contracts';
import type { ServingOptions } from './serving.options';
import { type ServingSettingsInput, ServingSettingsSchema } from './serving.settings';

export interface OpenServingInput {
  readonly dataDir: string;
  readonly registry: Registry;
  readonly settings?: ServingSettingsInput;
  readonly group?: string;
  readonly loadModel?: (dir: string, versionId: string, options: TextModelOptions) => Promise<TextModel>;
}

export function openServing(input: OpenServingInput): ServingOptions {
  const parsed = ServingSettingsSchema.safeParse(input.settings ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message }));
    throw new ValidationError(`invalid serving settings: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
  }
  return {
    settings: parsed.data,
    registry: input.registry,
    dataDir: input.dataDir,
    ...(input.group && { group: input.group }),
    ...(input.loadModel && { loadModel: input.loadModel }),
  };
}
