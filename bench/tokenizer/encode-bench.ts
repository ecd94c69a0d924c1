/**
 * Encode throughput: ours vs js-tiktoken, gpt-tokenizer and tiktoken (WASM) on the same
 * documents and vocabulary, single thread. Each document is encoded by every tokenizer in turn
 * (rotating the order), so load from other processes on a shared machine hits all of them
 * alike; ids of every peer are checked against ours.
 */
import { getEncoding, type EncodingName } from '@crucible/tokenizer';
import { encode as gptTokCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as gptTokR50k } from 'gpt-tokenizer/encoding/r50k_base';
import { getEncoding as jsTiktoken } from 'js-tiktoken';
import { get_encoding } from 'tiktoken';
import type { Document } from '@crucible/tokenizer/testing';

export type Encoder = (text: string) => ArrayLike<number>;

export interface EncodeRow {
  readonly name: string;
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly tokens: number;
  readonly mismatchedDocuments: number;
}

export function encoders(vocab: 'gpt2' | 'cl100k_base'): { name: string; encode: Encoder; free?: () => void }[] {
  const ours = getEncoding(vocab as EncodingName);
  const js = jsTiktoken(vocab);
  const wasm = get_encoding(vocab);
  return [
    { name: 'ours', encode: (t) => ours.encode(t) },
    { name: 'js-tiktoken', encode: (t) => js.encode(t) },
    { name: 'gpt-tokenizer', encode: vocab === 'gpt2' ? (t) => gptTokR50k(t) : (t) => gptTokCl100k(t) },
    { name: 'tiktoken-wasm', encode: (t) => wasm.encode(t), free: () => wasm.free() },
  ];
}

function sameIds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function runEncodeBench(vocab: 'gpt2' | 'cl100k_base', docs: readonly Document[], warmup: readonly Document[]): EncodeRow[] {
  const list = encoders(vocab);
  for (const e of list) for (const d of warmup) e.encode(d.text);
  const seconds = list.map(() => 0);
  const tokens = list.map(() => 0);
  const mismatched = list.map(() => 0);
  const outputs: ArrayLike<number>[] = list.map(() => []);
  docs.forEach((d, k) => {
    for (let j = 0; j < list.length; j++) {
      const i = (j + k) % list.length;
      const t0 = performance.now();
      outputs[i] = list[i]!.encode(d.text);
      seconds[i] = seconds[i]! + (performance.now() - t0) / 1000;
    }
    for (let i = 0; i < list.length; i++) {
      tokens[i] = tokens[i]! + outputs[i]!.length;
      if (!sameIds(outputs[i]!, outputs[0]!)) mismatched[i] = mismatched[i]! + 1;
    }
  });
  const mb = docs.reduce((n, d) => n + Buffer.byteLength(d.text), 0) / 1e6;
  for (const e of list) e.free?.();
  return list.map((e, i) => ({ name: e.name, seconds: seconds[i]!, mbPerSecond: mb / seconds[i]!, tokens: tokens[i]!, mismatchedDocuments: mismatched[i]! }));
}
