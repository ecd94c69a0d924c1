/**
 * Training batches from token shards (`@crucible/shards`). Each source (a manifest's train
 * split or a list of shard files) is cut into windows of T+1 tokens at stride T; an epoch
 * visits every window once in a seeded order (shuffle, sequential, or a length curriculum:
 * windows of short documents first). With several sources, each batch row draws its source
 * by the mixture weights. The position is a small JSON state, so resume is exact.
 */
import { EngineError } from '../engine.errors';
import { dirname, resolve } from 'node:path';
import { readManifest, readShardFile } from '@crucible/shards';
import { Rng, type RngState } from './rng';

export interface DataSource {
  readonly shards: readonly string[];
  readonly weight?: number;
}

export interface LoaderState {
  readonly sources: readonly { readonly epoch: number; readonly cursor: number }[];
  readonly rng: RngState;
  readonly windowsDrawn: number;
}

export type WindowOrder = 'shuffle' | 'sequential' | 'curriculum';

export class DataError extends EngineError<'DATA_INVALID'> {
  constructor(message: string) {
    super('DATA_INVALID', message);
  }
}

/** Train and validation shard paths of a dataset manifest, resolved against its directory. */
export function manifestSplits(manifestPath: string): { train: string[]; validation: string[]; vocabSize: number } {
  const m = readManifest(manifestPath);
  const dir = dirname(manifestPath);
  const pick = (split: 'train' | 'validation'): string[] => m.shards.filter((s) => s.split === split).map((s) => resolve(dir, s.path));
  return { train: pick('train'), validation: pick('validation'), vocabSize: m.tokenizer.vocabSize };
}

interface Source {
  readonly tokens: Uint32Array;
  /** Window start offsets in curriculum order (or natural order). */
  readonly starts: Uint32Array;
  readonly weight: number;
  epoch: number;
  cursor: number;
  order: Uint32Array;
}

function loadTokens(paths: readonly string[]): { tokens: Uint32Array; docLength: Uint32Array } {
  const shards = paths.map(readShardFile);
  const total = shards.reduce((n, s) => n + s.tokens.length, 0);
  const tokens = new Uint32Array(total);
  const docLength = new Uint32Array(total); // length of the document each token belongs to
  let at = 0;
  for (const s of shards) {
    tokens.set(s.tokens, at);
    let start = at;
    for (let i = at; i <= at + s.tokens.length; i++) {
      if (i === at + s.tokens.length || (i > start && tokens[i] === s.header.eotToken)) {
        docLength.fill(i - start, start, i);
        start = i;
      }
    }
    at += s.tokens.length;
  }
  return { tokens, docLength };
}

export class DataLoader {
  private readonly sources: Source[];
  private rng: Rng;
  private windowsDrawn = 0;

  constructor(
    sources: readonly DataSource[],
    private readonly seqLen: number,
    private readonly order: WindowOrder,
    private readonly seed: number,
  ) {
    if (sources.length === 0) throw new DataError('no training data sources');
    this.rng = new Rng(seed);
    this.sources = sources.map((src, i) => {
      const { tokens, docLength } = loadTokens(src.shards);
      const n = Math.floor((tokens.length - 1) / seqLen);
      if (n < 1) throw new DataError(`source ${i} has ${tokens.length} tokens: fewer than one window of ${seqLen + 1}`);
      let starts = Uint32Array.from({ length: n }, (_, w) => w * seqLen);
      if (order === 'curriculum') starts = Uint32Array.from([...starts].sort((a, b) => docLength[a]! - docLength[b]! || a - b));
      const s: Source = { tokens, starts, weight: src.weight ?? 1, epoch: 0, cursor: 0, order: new Uint32Array() };
      s.order = this.orderFor(s, i, 0);
      return s;
    });
  }

  /** Windows per epoch, summed over sources. */
  get windowsPerEpoch(): number {
    return this.sources.reduce((n, s) => n + s.starts.length, 0);
  }

  /** Epochs completed, as windows drawn over windows per epoch. */
  get epochsDone(): number {
    return this.windowsDrawn / this.windowsPerEpoch;
  }

  private orderFor(s: Source, index: number, epoch: number): Uint32Array {
    if (this.order !== 'shuffle') return s.starts;
    // Derived from (seed, source, epoch), not the running RNG, so resume recomputes it.
    const rng = new Rng((this.seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0);
    return Uint32Array.from(rng.shuffle([...s.starts]));
  }

  private pickSource(): number {
    if (this.sources.length === 1) return 0;
    const total = this.sources.reduce((n, s) => n + s.weight, 0);
    let r = this.rng.next() * total;
    for (let i = 0; i < this.sources.length; i++) {
      r -= this.sources[i]!.weight;
      if (r < 0) return i;
    }
    return this.sources.length - 1;
  }

  /** Next batch: input ids and next-token targets, each (B, T) row-major. */
  nextBatch(batchSize: number): { inputs: BigInt64Array; targets: BigInt64Array } {
    const T = this.seqLen;
    const inputs = new BigInt64Array(batchSize * T);
    const targets = new BigInt64Array(batchSize * T);
    for (let b = 0; b < batchSize; b++) {
      const i = this.pickSource();
      const s = this.sources[i]!;
      const start = s.order[s.cursor]!;
      for (let t = 0; t < T; t++) {
        inputs[b * T + t] = BigInt(s.tokens[start + t]!);
        targets[b * T + t] = BigInt(s.tokens[start + t + 1]!);
      }
      s.cursor++;
      this.windowsDrawn++;
      if (s.cursor === s.order.length) {
        s.epoch++;
        s.cursor = 0;
        s.order = this.orderFor(s, i, s.epoch);
      }
    }
    return { inputs, targets };
  }

  state(): LoaderState {
    return { sources: this.sources.map((s) => ({ epoch: s.epoch, cursor: s.cursor })), rng: this.rng.state(), windowsDrawn: this.windowsDrawn };
  }

  restore(state: LoaderState): void {
    if (state.sources.length !== this.sources.length) throw new DataError('checkpoint data state has a different number of sources');
    state.sources.forEach((p, i) => {
      const s = this.sources[i]!;
      s.epoch = p.epoch;
      s.cursor = p.cursor;
      s.order = this.orderFor(s, i, p.epoch);
    });
    this.rng = new Rng(state.rng);
    this.windowsDrawn = state.windowsDrawn;
  }
}

/** Sequential, non-repeating validation windows: the first `count` (B, T) batches. */
export function validationBatches(shards: readonly string[], seqLen: number, batchSize: number, count: number): { inputs: BigInt64Array; targets: BigInt64Array }[] {
  const { tokens } = loadTokens(shards);
  const windows = Math.floor((tokens.length - 1) / seqLen);
  const batches: { inputs: BigInt64Array; targets: BigInt64Array }[] = [];
  for (let k = 0; k < count && (k + 1) * batchSize <= windows; k++) {
    const inputs = new BigInt64Array(batchSize * seqLen);
    const targets = new BigInt64Array(batchSize * seqLen);
    for (let b = 0; b < batchSize; b++) {
      const start = (k * batchSize + b) * seqLen;
      for (let t = 0; t < seqLen; t++) {
        inputs[b * seqLen + t] = BigInt(tokens[start + t]!);
        targets[b * seqLen + t] = BigInt(tokens[start + t + 1]!);
      }
    }
    batches.push({ inputs, targets });
  }
  return batches;
}
