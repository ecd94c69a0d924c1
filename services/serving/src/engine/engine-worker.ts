/**
 * The engine thread: loads model versions on ONNX Runtime and runs one continuous-batching
 * loop (BatchScheduler) per version, off the gateway's main thread. onnxruntime-node runs a
 * session synchronously on the calling thread, so on the main thread every decode step would
 * stall HTTP, SSE writes and guardrail checks, and they would stall decoding in turn; here the
 * next step runs while the main thread turns the last one into text (vLLM's split of API
 * server and engine core, at thread scale). One thread for the process, for its lifetime:
 * onnxruntime-node 1.30 keeps process-wide state from the first thread that initialises it,
 * and a new thread after a terminated one crashes the process.
 */
import { Generator } from '@crucible/engine';
import { TOKENIZER_FILE } from '@crucible/model-artifact';
import { type Tokenizer, loadTokenizer } from '@crucible/tokenizer';
import { join } from 'node:path';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { BatchScheduler, yieldToIo } from './batch-scheduler';
import { EngineRow, takeDue } from './engine-row';
import { type EngineVersionSpec, type FromEngine, type ToEngine, serializeError } from './engine-protocol';

const port = parentPort!;
const post = (message: FromEngine) => port.postMessage(message);

interface LoadedVersion {
  readonly key: string;
  readonly generator: Generator;
  /** For stop strings: rows end on them here (engine-row.ts). */
  readonly tokenizer: Tokenizer;
  readonly scheduler: BatchScheduler<EngineRow>;
  readonly rows: Map<number, EngineRow>;
  /** Rows with tokens to post after this step's sampling. */
  readonly due: Set<EngineRow>;
  /** Decode steps since the last message: batch after each, tokens each sampled (for the gateway's metrics). */
  steps: { batches: number[]; sampled: number[] };
}

const versions = new Map<string, LoadedVersion>();

async function load(key: string, spec: EngineVersionSpec): Promise<void> {
  try {
    const { fp16, spinWait, threads } = spec.engine;
    const generator = await Generator.load(spec.modelDir, { fp16, spinWait, ...(threads && { threads }) });
    const tokenizer = await loadTokenizer(join(spec.modelDir, TOKENIZER_FILE));
    const version: LoadedVersion = {
      key,
      generator,
      tokenizer,
      rows: new Map(),
      due: new Set(),
      steps: { batches: [], sampled: [] },
      scheduler: new BatchScheduler<EngineRow>(spec.versionId, generator, { maxBatch: spec.limits.maxBatch, maxQueue: Number.MAX_SAFE_INTEGER }, {
        onStep: (batch, queued, sampled) => {
          version.steps.batches.push(batch);
          version.steps.sampled.push(sampled);
          if (version.due.size === 0) return;
          const { ids, tokens, finished } = takeDue(version.due);
          for (const row of finished) version.rows.delete(row.id);
          post({ type: 'step', key, ids, tokens, ended: finished.map((row) => row.id), ...version.steps, queued });
          version.steps = { batches: [], sampled: [] };
        },
      }, betweenSteps),
    };
    versions.set(key, version);
    post({ type: 'loaded', key });
  } catch (error) {
    post({ type: 'load-failed', key, error: serializeError(error instanceof Error ? error : new Error(String(error))) });
  }
}

async function unload(key: string): Promise<void> {
  const version = versions.get(key);
  if (version) {
    await version.scheduler.close();
    await version.generator.close();
    versions.delete(key);
  }
  post({ type: 'unloaded', key });
}

/**
 * Between decode steps: messages are taken synchronously (a submit joins at the next step, a
 * cancel drops its row), and the event loop gets a turn only every YIELD_EVERY_MS — a turn costs
 * more than a poll, and only model loads and unloads need it here.
 */
const YIELD_EVERY_MS = 10;
let lastYield = 0;
function betweenSteps(): Promise<void> | void {
  for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) handle(received.message as ToEngine);
  const now = performance.now();
  if (now - lastYield < YIELD_EVERY_MS) return;
  lastYield = now;
  return yieldToIo();
}

port.on('message', handle);

function handle(message: ToEngine): void {
  switch (message.type) {
    case 'load':
      void load(message.key, message.spec);
      break;
    case 'submit': {
      const version = versions.get(message.key);
      if (!version) {
        post({ type: 'failed', key: message.key, ids: [message.id], error: { name: 'Error', message: `${message.key} is not loaded` } });
        break;
      }
      const fail = (failed: EngineRow, error: Error) => {
        version.rows.delete(failed.id);
        post({ type: 'failed', key: version.key, ids: [failed.id], error: serializeError(error) });
      };
      const row = new EngineRow(message.id, message.request, version.due, fail, (token) => version.tokenizer.decodeBytes([token]));
      version.rows.set(row.id, row);
      version.scheduler.submit(row);
      break;
    }
    case 'cancel': {
      const rows = versions.get(message.key)?.rows;
      rows?.get(message.id)?.cancel();
      rows?.delete(message.id);
      break;
    }
    case 'unload':
      void unload(message.key);
      break;
  }
}
