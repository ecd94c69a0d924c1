/**
 * `crucible.yaml`, the declarative project file: where documents come from, how they are
 * cleaned, which dataset they feed, and the settings of every later stage (each validated by its own schema).
 */
import { ConfigError } from '@crucible/contracts';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const SourceSchema = z.union([
  z.object({ path: z.string().min(1) }).strict(),
  /** Files shipped inside an npm package, e.g. the bundled public-domain corpus. */
  z
    .object({
      package: z.string().min(1),
      /** Folder inside the package, searched recursively. */
      dir: z.string().default('.'),
      extensions: z.array(z.string().regex(/^\./)).default(['.txt']),
      limit: z.number().int().positive().optional(),
    })
    .strict(),
]);
export type Source = z.infer<typeof SourceSchema>;

export const ProjectSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
    /** Data directory: the embedded bus log, dedup index, datasets and models. Relative to the file. */
    dataDir: z.string().default('.crucible'),
    sources: z.array(SourceSchema).default([]),
    dataset: z.string().min(1).default('default'),
    /** Filter thresholds, as in `@crucible/curation`'s CleaningConfig (every field optional). */
    cleaning: z.record(z.string(), z.unknown()).default({}),
    /** Tokenizer and sealing settings, as in `@crucible/tokenization`'s TokenizationConfig; `dataset` comes from above. */
    tokenization: z.record(z.string(), z.unknown()).default({}),
    /** `@crucible/training` settings: launcher, threads, checkpoints, and the retrain policy (preset, hyper-parameters). */
    training: z.record(z.string(), z.unknown()).default({}),
    /** `@crucible/evaluation` settings: held-out windows, tasks, gate thresholds. */
    evaluation: z.record(z.string(), z.unknown()).default({}),
    /** `@crucible/safety` settings: probe sets, gate thresholds. */
    safety: z.record(z.string(), z.unknown()).default({}),
    /** `@crucible/serving` settings: auth, limits, rollout. */
    serving: z.record(z.string(), z.unknown()).default({}),
    http: z.object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65_535).default(8080) }).strict().prefault({}),
  })
  .strict();
export type Project = z.output<typeof ProjectSchema> & { readonly directory: string };

export function loadProject(path: string): Project {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([{ path: [], message: `cannot read ${path}: ${(error as Error).message}` }]);
  }
  const parsed = ProjectSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ path: i.path.filter((p): p is string | number => typeof p !== 'symbol'), message: i.message })),
    );
  }
  const directory = dirname(resolve(path));
  const dataDir = isAbsolute(parsed.data.dataDir) ? parsed.data.dataDir : join(directory, parsed.data.dataDir);
  return { ...parsed.data, dataDir, directory };
}
