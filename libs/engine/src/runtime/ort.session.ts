/**
 * ONNX Runtime plumbing: one place that creates sessions (threads pinned for determinism,
 * execution providers plumbed through) and converts between IR dtypes and ort.Tensor.
 */
import * as ort from 'onnxruntime-node';
import type { DType, TensorData } from '../ir/ir.types';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface SessionOptions {
  /** Intra-op threads; fixed so reductions split the same way every run (determinism). */
  readonly threads?: number;
  readonly executionProviders?: readonly ExecutionProvider[];
  /**
   * Let ORT's intra-op threads spin-wait between parallel sections (ORT's default). Spinning
   * shaves latency off a lone session but burns a core after every call: a gateway that writes
   * responses between decode steps, on as many cores as threads, wants it off.
   */
  readonly spinWait?: boolean;
}

export const DEFAULT_THREADS = 2;

export async function createSession(bytes: Uint8Array, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, {
    intraOpNumThreads: options.threads ?? DEFAULT_THREADS,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    executionProviders: [...(options.executionProviders ?? ['cpu'])],
    // Errors only: ORT's optimizer warns about every constant it declines to fold.
    logSeverityLevel: 3,
    ...(options.spinWait === false && { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  });
}

export function toTensor(dtype: DType, data: TensorData, dims: readonly number[]): ort.Tensor {
  switch (dtype) {
    case 'float32': return new ort.Tensor('float32', data as Float32Array, dims);
    case 'float64': return new ort.Tensor('float64', data as Float64Array, dims);
    case 'int64': return new ort.Tensor('int64', data as BigInt64Array, dims);
    case 'float16': return new ort.Tensor('float16', data as Uint16Array, dims);
    case 'bool': return new ort.Tensor('bool', data as Uint8Array, dims);
  }
}

export const int64Tensor = (values: ArrayLike<number>, dims: readonly number[]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(Array.from(values, (v) => BigInt(v))), dims);

export const f32 = (t: ort.Tensor): Float32Array => t.data as Float32Array;
export const scalarOf = (t: ort.Tensor): number => Number((t.data as Float32Array | Float64Array)[0]);

export { ort };
