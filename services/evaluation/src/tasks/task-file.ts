/**
 * Evaluation tasks as files (YAML or JSON): a name, a kind, metrics, generation settings and
 * examples — inline, or a JSONL file of `{prompt, references}` lines relative to the task file.
 * Users add tasks by dropping files into a folder (EVALUATION_TASKS_DIR). A malformed file is
 * refused with every problem and its path, never half-loaded.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TaskFileError } from '../evaluation.errors';

export const GENERATION_METRICS = ['bleu', 'chrf', 'rouge', 'exact_match'] as const;
export type GenerationMetric = (typeof GENERATION_METRICS)[number];

export const ExampleSchema = z
  .object({
    prompt: z.string(),
    references: z.array(z.string()).min(1, 'needs at least one reference'),
  })
  .passthrough(); // JSONL lines may carry provenance (e.g. `source`)
export type Example = z.infer<typeof ExampleSchema>;

const TaskFileSchema = z
  .object({
    /** Metric names in reports are `<name>.<metric>`: a-z, digits, `-`, `_`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, - and _ (≤64)'),
    description: z.string().optional(),
    kind: z.enum(['generation', 'perplexity']),
    metrics: z.array(z.enum(GENERATION_METRICS)).min(1).optional(),
    generation: z
      .object({
        maxTokens: z.number().int().positive().max(4096).default(32),
        /** 0 = greedy; evaluations default to it so scores are reproducible. */
        temperature: z.number().min(0).default(0),
        stop: z.array(z.string()).default([]),
      })
      .strict()
      .default({ maxTokens: 32, temperature: 0, stop: [] }),
    /** Inline examples, or a JSONL path relative to the task file. */
    examples: z.union([z.array(ExampleSchema).min(1), z.string().min(1)]),
    /** Evaluate the first `limit` examples only. */
    limit: z.number().int().positive().optional(),
    /** ROUGE with the Porter stemmer (rouge-score's `use_stemmer=True`). */
    rougeStemmer: z.boolean().default(false),
  })
  .strict()
  .refine((t) => t.kind === 'perplexity' || t.metrics !== undefined, { message: 'generation tasks need metrics', path: ['metrics'] });

export interface EvaluationTask {
  readonly name: string;
  readonly description?: string;
  readonly kind: 'generation' | 'perplexity';
  readonly metrics: readonly GenerationMetric[];
  readonly generation: { readonly maxTokens: number; readonly temperature: number; readonly stop: readonly string[] };
  readonly examples: readonly Example[];
  readonly rougeStemmer: boolean;
  /** The file it came from, for reports and errors. */
  readonly file: string;
}

function readJsonl(path: string, file: string): Example[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaskFileError(file, `examples file ${path}: ${(error as Error).message}`);
  }
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new TaskFileError(file, `${path}:${i + 1}: not JSON`);
    }
    const parsed = ExampleSchema.safeParse(value);
    if (!parsed.success) throw new TaskFileError(file, `${path}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return [parsed.data];
  });
}

/** Parses one task file's content; `file` resolves a JSONL examples path. */
export function parseTask(content: string, file: string): EvaluationTask {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(content) : parseYaml(content);
  } catch (error) {
    throw new TaskFileError(file, `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  const parsed = TaskFileSchema.safeParse(raw);
  if (!parsed.success) throw new TaskFileError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  const t = parsed.data;
  const examples = typeof t.examples === 'string' ? readJsonl(resolve(dirname(file), t.examples), file) : t.examples;
  if (examples.length === 0) throw new TaskFileError(file, 'no examples');
  return {
    name: t.name,
    ...(t.description !== undefined && { description: t.description }),
    kind: t.kind,
    metrics: t.metrics ?? [],
    generation: t.generation,
    examples: t.limit === undefined ? examples : examples.slice(0, t.limit),
    rougeStemmer: t.rougeStemmer,
    file,
  };
}

/** Every `*.yaml`, `*.yml` and `*.json` task in `dir`, sorted by file name; names must be unique. */
export function loadTasks(dir: string): EvaluationTask[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => ['.yaml', '.yml', '.json'].includes(extname(f))).sort();
  } catch (error) {
    throw new TaskFileError(dir, `cannot read the tasks folder: ${(error as Error).message}`);
  }
  const tasks = files.map((f) => parseTask(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
  const seen = new Map<string, string>();
  for (const t of tasks) {
    const other = seen.get(t.name);
    if (other) throw new TaskFileError(t.file, `task name '${t.name}' is also used by ${other}`);
    seen.set(t.name, t.file);
  }
  return tasks;
}

/** The tasks shipped with the service (services/evaluation/tasks). */
export const BUNDLED_TASKS_DIR = resolve(__dirname, '..', '..', 'tasks');
