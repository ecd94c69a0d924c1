/**
 * `crucible export --model <dir> --out <dir> [--fp16]`: the ONNX inference model of a version
 * (the KV-cache decoder the gateway runs). With `--fp16` the weights are stored as float16 —
 * half the file — and the perplexity change on the dataset's validation split is reported,
 * so the cost of the smaller file is a number, not a guess.
 */
import { exportOnnx, fp16Perplexity, manifestSplits } from '@crucible/engine';
import { TextModel } from '@crucible/model-artifact';
import { readShardFile } from '@crucible/shards';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ExportCommandOptions {
  readonly model: string;
  readonly out: string;
  readonly fp16: boolean;
  /** Validation windows for the perplexity comparison. */
  readonly windows: number;
}

export interface ExportResult {
  readonly path: string;
  readonly bytes: number;
  readonly fp32Bytes?: number;
  readonly perplexity?: { fp32: number; fp16: number };
}

export async function exportModel(options: ExportCommandOptions, out: NodeJS.WriteStream = process.stdout): Promise<ExportResult> {
  const model = await TextModel.load(options.model);
  try {
    const dir = resolve(options.out);
    const written = exportOnnx(dir, model.config, model.weights, { fp16: options.fp16 });
    out.write(`wrote ${written.path} (${mib(written.bytes)})\n`);
    if (!options.fp16) return written;
    const fp32 = exportOnnx(resolve(dir, 'fp32-reference'), model.config, model.weights);
    out.write(`FP16 weights: ${mib(written.bytes)} vs ${mib(fp32.bytes)} in FP32 (×${(written.bytes / fp32.bytes).toFixed(3)})\n`);
    const windows = validationWindows(model, options.windows);
    if (windows.length === 0) {
      out.write('no validation split found through the lineage: perplexity change not measured\n');
      return { ...written, fp32Bytes: fp32.bytes };
    }
    const perplexity = await fp16Perplexity(model.config, model.weights, windows);
    const change = ((perplexity.fp16 - perplexity.fp32) / perplexity.fp32) * 100;
    out.write(`validation perplexity over ${windows.length} windows: FP32 ${perplexity.fp32.toFixed(4)} → FP16 ${perplexity.fp16.toFixed(4)} (${change >= 0 ? '+' : ''}${change.toFixed(4)} %)\n`);
    return { ...written, fp32Bytes: fp32.bytes, perplexity };
  } finally {
    await model.close();
  }
}

/** Windows of contextLength+1 tokens from the dataset's validation shards, as training saw them. */
function validationWindows(model: TextModel, count: number): number[][] {
  const manifest = model.lineage.manifestPath;
  if (!manifest || !existsSync(manifest)) return [];
  const tokens: number[] = [];
  const width = Math.min(model.config.contextLength, 128) + 1;
  for (const shard of manifestSplits(manifest).validation) {
    for (const t of readShardFile(shard).tokens) {
      tokens.push(t);
      if (tokens.length >= width * count) break;
    }
    if (tokens.length >= width * count) break;
  }
  return Array.from({ length: Math.floor(tokens.length / width) }, (_, w) => tokens.slice(w * width, (w + 1) * width));
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
