/**
 * Runs one task against a model. Generation tasks complete every prompt (greedy by default,
 * in batches) and score the outputs with @crucible/eval-metrics: corpus BLEU and chrF (with
 * sacrebleu signatures), mean ROUGE-1/2/L F-measure, exact-match rate. Perplexity tasks score
 * each reference given its prompt: perplexity = exp(Σ nats / Σ tokens), bits-per-byte =
 * Σ nats / (ln 2 · Σ UTF-8 bytes) over the continuations.
 */
import { corpusBleu, corpusChrf, corpusRouge, exactMatchRate } from '@crucible/eval-metrics';
import type { Completion, CompleteOptions, ScoredContinuation } from '@crucible/model-artifact';
import type { EvaluationTask } from './task-file';

/** What a task needs from a model (`TextModel` has it; unit tests pass a fake). */
export interface TaskModel {
  readonly config: { readonly contextLength: number };
  complete(prompts: readonly string[], options: CompleteOptions): Promise<Completion[]>;
  logLikelihood(pairs: readonly ScoredContinuation[]): Promise<number[]>;
  encode(text: string): number[];
  decode(ids: ArrayLike<number>): string;
}

export interface TaskExampleResult {
  readonly prompt: string;
  readonly references: readonly string[];
  /** Generated text (generation tasks) or the continuation's nats (perplexity tasks). */
  readonly output: string | number;
}

export interface TaskResult {
  readonly name: string;
  readonly kind: EvaluationTask['kind'];
  readonly file: string;
  /** Unprefixed metric names: bleu, chrf, rouge1, rouge2, rougeL, exact_match, perplexity, bitsPerByte. */
  readonly metrics: Record<string, number>;
  readonly signatures: Record<string, string>;
  readonly examples: readonly TaskExampleResult[];
  readonly seconds: number;
}

export interface RunTaskOptions {
  readonly batchSize: number;
  readonly onExamples?: (done: number, total: number) => void;
}

async function generate(model: TaskModel, task: EvaluationTask, options: RunTaskOptions): Promise<string[]> {
  const outputs: string[] = [];
  for (let i = 0; i < task.examples.length; i += options.batchSize) {
    const batch = task.examples.slice(i, i + options.batchSize);
    const completions = await model.complete(
      batch.map((e) => e.prompt),
      { maxTokens: task.generation.maxTokens, temperature: task.generation.temperature, stop: task.generation.stop, seed: 0 },
    );
    outputs.push(...completions.map((c) => c.text.trim()));
    options.onExamples?.(outputs.length, task.examples.length);
  }
  return outputs;
}

function scoreGeneration(task: EvaluationTask, outputs: readonly string[]): Pick<TaskResult, 'metrics' | 'signatures'> {
  const references = task.examples.map((e) => e.references);
  const metrics: Record<string, number> = {};
  const signatures: Record<string, string> = {};
  for (const metric of task.metrics) {
    if (metric === 'bleu') {
      const bleu = corpusBleu(outputs, references);
      metrics.bleu = bleu.score;
      signatures.bleu = bleu.signature;
    } else if (metric === 'chrf') {
      const chrf = corpusChrf(outputs, references);
      metrics.chrf = chrf.score;
      signatures.chrf = chrf.signature;
    } else if (metric === 'rouge') {
      const rouge = corpusRouge(outputs, references, { useStemmer: task.rougeStemmer });
      metrics.rouge1 = rouge.rouge1.fmeasure;
      metrics.rouge2 = rouge.rouge2.fmeasure;
      metrics.rougeL = rouge.rougeL.fmeasure;
      signatures.rouge = `rouge-score 0.1.2, use_stemmer=${task.rougeStemmer ? 'True' : 'False'}, mean F-measure`;
    } else {
      metrics.exact_match = exactMatchRate(outputs, references);
      signatures.exact_match = 'SQuAD v1.1 normalize_answer';
    }
  }
  return { metrics, signatures };
}

/** The continuation cut to what fits the context next to one token of prompt. */
function fitting(model: TaskModel, text: string): { text: string; tokens: number } {
  const ids = model.encode(text);
  const room = model.config.contextLength - 1;
  return ids.length <= room ? { text, tokens: ids.length } : { text: model.decode(ids.slice(0, room)), tokens: room };
}

async function scorePerplexity(model: TaskModel, task: EvaluationTask, options: Pick<RunTaskOptions, 'onExamples'>): Promise<Omit<TaskResult, 'name' | 'kind' | 'file' | 'seconds'>> {
  const examples: TaskExampleResult[] = [];
  let nats = 0;
  let tokens = 0;
  let bytes = 0;
  // One example per call: in a batch, the longest context plus the longest continuation of
  // different rows can together exceed the context window.
  for (const example of task.examples) {
    const fitted = fitting(model, example.references[0]!);
    const [score] = await model.logLikelihood([{ context: example.prompt, continuation: fitted.text }]);
    nats -= score!;
    tokens += fitted.tokens;
    bytes += Buffer.byteLength(fitted.text, 'utf8');
    examples.push({ prompt: example.prompt, references: example.references, output: -score! });
    options.onExamples?.(examples.length, task.examples.length);
  }
  return {
    metrics: { perplexity: Math.exp(nats / tokens), bitsPerByte: nats / (Math.LN2 * bytes) },
    signatures: { perplexity: 'exp(Σ nats / Σ continuation tokens)', bitsPerByte: 'Σ nats / (ln 2 · Σ continuation UTF-8 bytes)' },
    examples,
  };
}

export async function runTask(model: TaskModel, task: EvaluationTask, options: RunTaskOptions): Promise<TaskResult> {
  const started = performance.now();
  const base = { name: task.name, kind: task.kind, file: task.file };
  if (task.kind === 'perplexity') {
    const scored = await scorePerplexity(model, task, options);
    return { ...base, ...scored, seconds: (performance.now() - started) / 1000 };
  }
  const outputs = await generate(model, task, options);
  const examples = task.examples.map((e, i) => ({ prompt: e.prompt, references: e.references, output: outputs[i]! }));
  return { ...base, ...scoreGeneration(task, outputs), examples, seconds: (performance.now() - started) / 1000 };
}
