/**
 * safetensors read/write (F32, F16, I64): an 8-byte little-endian header length, a JSON
 * header {name: {dtype, shape, data_offsets}, __metadata__}, then the raw tensor bytes.
 * Reference: https://github.com/huggingface/safetensors#format
 */
import { EngineError } from '../engine.errors';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

export type SafeDtype = 'F32' | 'F16' | 'I64';
export interface SafeTensor {
  readonly dtype: SafeDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Uint16Array | BigInt64Array;
}

export class SafetensorsError extends EngineError<'SAFETENSORS_INVALID'> {
  constructor(message: string) {
    super('SAFETENSORS_INVALID', message);
  }
}

const WIDTH: Record<SafeDtype, number> = { F32: 4, F16: 2, I64: 8 };

export function encodeSafetensors(tensors: ReadonlyMap<string, SafeTensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const size = t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keep the data 8-byte aligned
  const head = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + head.length + offset);
  out.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(out, 8);
  let at = 8 + head.length;
  for (const t of tensors.values()) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, at);
    at += t.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array): { tensors: Map<string, SafeTensor>; metadata: Record<string, string> } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8) throw new SafetensorsError('file shorter than its header length');
  const n = Number(buf.readBigUInt64LE(0));
  if (8 + n > buf.length) throw new SafetensorsError('header length exceeds the file');
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const base = 8 + n;
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = info as unknown as Record<string, string>;
      continue;
    }
    const dtype = info.dtype as SafeDtype;
    if (!(dtype in WIDTH)) throw new SafetensorsError(`${name}: unsupported dtype ${info.dtype}`);
    const [begin, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * WIDTH[dtype] || base + end > buf.length) throw new SafetensorsError(`${name}: bad data_offsets`);
    // Copy so the typed array is aligned whatever the header length.
    const raw = new Uint8Array(buf.subarray(base + begin, base + end)).buffer;
    const data = dtype === 'F32' ? new Float32Array(raw) : dtype === 'F16' ? new Uint16Array(raw) : new BigInt64Array(raw);
    tensors.set(name, { dtype, shape: info.shape, data });
  }
  return { tensors, metadata };
}

export function writeSafetensors(path: string, tensors: ReadonlyMap<string, SafeTensor>, metadata?: Record<string, string>): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, encodeSafetensors(tensors, metadata));
  renameSync(tmp, path);
}

export const readSafetensors = (path: string): ReturnType<typeof decodeSafetensors> => decodeSafetensors(readFileSync(path));
