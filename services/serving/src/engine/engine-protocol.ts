/**
 * Messages between the gateway's main thread and the engine thread (worker_threads). The
 * main thread owns requests, text, guardrails and HTTP; the engine thread owns the ONNX
 * Runtime sessions and one continuous-batching loop per loaded version, and reports each
 * step's sampled tokens. Versions are addressed by a per-process key (two gateways in one
 * process may load the same version id); row ids are process-wide. Each posted message wakes
 * the other thread, which on a machine whose cores ONNX Runtime keeps busy costs decode time,
 * so the engine thread gathers a row's tokens when the main thread would only hold them anyway
 * (a guarded stream releases text every few tokens; a JSON answer at its end).
 */
import type { SchedulerLimits } from './batch-scheduler';
import type { SequenceRequest } from './sequence';

export interface EngineVersionSpec {
  readonly versionId: string;
  readonly modelDir: string;
  readonly engine: { readonly fp16: boolean; readonly threads?: number; readonly spinWait: boolean };
  readonly limits: SchedulerLimits;
}

/**
 * A Sequence's request as the engine thread needs it. Stop strings go too: the engine thread ends
 * a row on one itself (the tokens' bytes are in its tokenizer), so a row with stop strings — every
 * chat answer, whose template ends turns with one — can be paced like any other instead of
 * waking the main thread on every token for it to look.
 */
export interface RowRequest extends Omit<SequenceRequest, 'deliverEvery'> {
  /** Tokens that end the row (end of text); the main thread's Sequence ends on them too. */
  readonly stopTokens: readonly number[];
  readonly deliverEvery: number;
}

export type ToEngine =
  | { readonly type: 'load'; readonly key: string; readonly spec: EngineVersionSpec }
  | { readonly type: 'submit'; readonly key: string; readonly id: number; readonly request: RowRequest }
  /** The main thread is done with a row (stop text, guardrail, client gone): drop it at the next step. */
  | { readonly type: 'cancel'; readonly key: string; readonly id: number }
  /** Finish the admitted rows, then release the session. */
  | { readonly type: 'unload'; readonly key: string };

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type FromEngine =
  | { readonly type: 'loaded'; readonly key: string }
  | { readonly type: 'load-failed'; readonly key: string; readonly error: SerializedError }
  /**
   * Tokens gathered since the last message, in sampling order (ids[i] got tokens[i]; a row may
   * appear several times), and every decode step since then: rows in the batch after it
   * (`batches`) and tokens it sampled (`sampled`); `queued` is the queue now. `ended`: rows the
   * engine thread finished itself (end of text, max tokens) — it has dropped them, so the main
   * thread sends no cancel for them (a message that would only wake this thread).
   */
  | {
      readonly type: 'step';
      readonly key: string;
      readonly ids: number[];
      readonly tokens: number[];
      readonly ended: number[];
      readonly batches: number[];
      readonly sampled: number[];
      readonly queued: number;
    }
  | { readonly type: 'failed'; readonly key: string; readonly ids: number[]; readonly error: SerializedError }
  | { readonly type: 'unloaded'; readonly key: string };

export const serializeError = (error: Error): SerializedError => ({
  name: error.name,
  message: error.message,
  ...(typeof (error as { code?: unknown }).code === 'string' && { code: (error as unknown as { code: string }).code }),
});
