/**
 * Perplexity and bits-per-byte of a GPT on held-out token shards, computed by ONNX Runtime
 * (the engine's forward pass + fused cross-entropy compiled once per batch shape).
 *
 * Definitions (the same as lm-evaluation-harness's, over a token stream instead of documents):
 * - The validation shards are concatenated in manifest order (each document starts with EOT,
 *   as packed) and cut into windows of `seqLen + 1` tokens at stride `seqLen`, so every token
 *   after the first is predicted exactly once, with up to `seqLen - 1` tokens of context.
 *   A tail shorter than one window is not scored. Windows cross document boundaries, as in
 *   training.
 * - `totalNats` = Σ −ln p(token | context) over the scored tokens; `meanLoss` = totalNats / tokens;
 *   `perplexity` = exp(meanLoss).
 * - `bytes` = UTF-8 bytes of the scored tokens' decoded text (a token's byte-level BPE bytes;
 *   special tokens such as EOT decode to no text and count 0 bytes, but their loss counts).
 *   `bitsPerByte` = totalNats / (ln 2 · bytes): comparable across tokenizers.
 */
import { type GptConfig, type Weights, GraphBuilder, compileToBytes, createSession, crossEntropy, gptForward, lmHead, paramSpecs } from '@crucible/engine';
import { readShardFile } from '@crucible/shards';
import * as ort from 'onnxruntime-node';

/** What bits-per-byte needs from a tokenizer (`@crucible/tokenizer`'s Tokenizer has both). */
export interface TokenBytes {
  tokenBytes(id: number): Uint8Array;
  isSpecial(id: number): boolean;
}

export interface HeldOutOptions {
  /** Window length; default and maximum the model's contextLength. */
  readonly seqLen?: number;
  /** Windows per ORT run. */
  readonly batchSize?: number;
  /** Score at most this many tokens (the first windows), to bound evaluation time. */
  readonly maxTokens?: number;
  readonly threads?: number;
  readonly onProgress?: (progress: HeldOutProgress) => void;
}

export interface HeldOutProgress {
  readonly windows: number;
  readonly totalWindows: number;
  readonly tokens: number;
}

export interface HeldOutResult {
  readonly tokens: number;
  readonly bytes: number;
  readonly windows: number;
  readonly seqLen: number;
  readonly totalNats: number;
  readonly meanLoss: number;
  readonly perplexity: number;
  readonly bitsPerByte: number;
}

export class HeldOutDataError extends Error {
  readonly code = 'held_out_data_invalid';
  readonly retriable = false;
}

function concatenated(shards: readonly string[]): Uint32Array {
  const parts = shards.map((path) => readShardFile(path).tokens);
  const tokens = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    tokens.set(p, at);
    at += p.length;
  }
  return tokens;
}

/** A session computing the mean cross-entropy of (B, T) windows. */
async function lossSession(config: GptConfig, batch: number, seqLen: number, threads: number | undefined): Promise<ort.InferenceSession> {
  const g = new GraphBuilder('held_out_loss');
  const params = new Map(paramSpecs(config).map((s) => [s.name, g.input(s.name, 'float32', s.shape)]));
  const ids = g.input('ids', 'int64', [batch, seqLen]); // (B, T)
  const targets = g.input('targets', 'int64', [batch * seqLen]); // (B·T)
  const { hidden } = gptForward(g, config, params, ids, { kind: 'train', batch, seqLen });
  g.output('loss', crossEntropy(g, lmHead(g, params, hidden), targets));
  return createSession(compileToBytes(g), threads === undefined ? {} : { threads });
}

/**
 * @example const r = await heldOutPerplexity(config, weights, manifestSplits(path).validation, tokenizer);
 */
export async function heldOutPerplexity(
  config: GptConfig,
  weights: Weights,
  shards: readonly string[],
  tokenizer: TokenBytes,
  options: HeldOutOptions = {},
): Promise<HeldOutResult> {
  if (shards.length === 0) throw new HeldOutDataError('no validation shards: the dataset has no held-out split');
  const tokens = concatenated(shards);
  if (tokens.length < 2) throw new HeldOutDataError(`the held-out split has ${tokens.length} tokens; perplexity needs at least 2`);
  const seqLen = Math.min(options.seqLen ?? config.contextLength, config.contextLength, tokens.length - 1);
  const available = Math.floor((tokens.length - 1) / seqLen);
  const totalWindows = Math.max(1, Math.min(available, Math.floor((options.maxTokens ?? Infinity) / seqLen)));
  const batchSize = Math.min(options.batchSize ?? 8, totalWindows);

  const byteLength = new Map<number, number>();
  const bytesOf = (id: number): number => {
    let n = byteLength.get(id);
    if (n === undefined) byteLength.set(id, (n = tokenizer.isSpecial(id) ? 0 : tokenizer.tokenBytes(id).length));
    return n;
  };
  const weightFeeds: Record<string, ort.Tensor> = {};
  for (const s of paramSpecs(config)) weightFeeds[s.name] = new ort.Tensor('float32', weights.get(s.name)!, s.shape);

  const sessions = new Map<number, ort.InferenceSession>();
  let totalNats = 0;
  let bytes = 0;
  let done = 0;
  try {
    while (done < totalWindows) {
      const B = Math.min(batchSize, totalWindows - done);
      if (!sessions.has(B)) sessions.set(B, await lossSession(config, B, seqLen, options.threads));
      const inputs = new BigInt64Array(B * seqLen);
      const targets = new BigInt64Array(B * seqLen);
      for (let b = 0; b < B; b++) {
        const start = (done + b) * seqLen;
        for (let t = 0; t < seqLen; t++) {
          inputs[b * seqLen + t] = BigInt(tokens[start + t]!);
          const target = tokens[start + t + 1]!;
          targets[b * seqLen + t] = BigInt(target);
          bytes += bytesOf(target);
        }
      }
      const out = await sessions.get(B)!.run({
        ...weightFeeds,
        ids: new ort.Tensor('int64', inputs, [B, seqLen]),
        targets: new ort.Tensor('int64', targets, [B * seqLen]),
      });
      // The graph returns the batch mean; the corpus total is mean × tokens scored.
      totalNats += Number((out.loss!.data as Float32Array)[0]) * B * seqLen;
      done += B;
      options.onProgress?.({ windows: done, totalWindows, tokens: done * seqLen });
    }
  } finally {
    for (const s of sessions.values()) await s.release();
  }
  const scored = totalWindows * seqLen;
  const meanLoss = totalNats / scored;
  return {
    tokens: scored,
    bytes,
    windows: totalWindows,
    seqLen,
    totalNats,
    meanLoss,
    perplexity: Math.exp(meanLoss),
    bitsPerByte: bytes === 0 ? Number.NaN : totalNats / (Math.LN2 * bytes),
  };
}
