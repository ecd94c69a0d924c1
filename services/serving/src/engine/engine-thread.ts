/**
 * The process's one engine thread (engine-worker.ts), started on first use and kept for the
 * life of the process (unref'd, so it never holds the process open): onnxruntime-node 1.30
 * cannot start ONNX Runtime in a new thread once a thread that used it has ended. Messages are
 * routed to the WorkerScheduler of their version key.
 */
import { join } from 'node:path';
import { DECODE_THREAD_RESOURCE_LIMITS } from '@crucible/engine';
import { tsWorkerSource } from '@crucible/service-kit';
import { Worker } from 'node:worker_threads';
import type { FromEngine, SerializedError, ToEngine } from './engine-protocol';

const WORKER_ENTRY = join(__dirname, 'engine-worker.ts');

export type EngineListener = (message: FromEngine) => void;

export class EngineThread {
  private static instance: EngineThread | undefined;
  private readonly listeners = new Map<string, EngineListener>();
  private failure: Error | undefined;
  private nextKey = 1;
  private nextRowId = 1;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromEngine) => this.listeners.get(message.key)?.(message));
    const fail = (error: Error) => {
      this.failure = error;
      EngineThread.instance = undefined; // the next load starts a new one (if ORT allows)
      for (const [key, listener] of this.listeners) listener({ type: 'failed', key, ids: [], error: { name: error.name, message: error.message } });
      this.listeners.clear();
    };
    worker.on('error', (error) => fail(new Error(`engine thread failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`engine thread exited with ${code}`)));
    // After the listeners: adding a 'message' listener to a Worker refs its port again, and a
    // ref'd port held `crucible up --exit-when-idle` open after everything else had stopped.
    worker.unref();
  }

  static shared(): EngineThread {
    EngineThread.instance ??= new EngineThread(new Worker(tsWorkerSource(WORKER_ENTRY), { eval: true, resourceLimits: DECODE_THREAD_RESOURCE_LIMITS }));
    return EngineThread.instance;
  }

  /** A process-unique key for one loaded version (two gateways may load the same version id). */
  register(versionId: string, listener: EngineListener): string {
    const key = `${versionId}#${this.nextKey++}`;
    this.listeners.set(key, listener);
    return key;
  }

  unregister(key: string): void {
    this.listeners.delete(key);
  }

  rowId(): number {
    return this.nextRowId++;
  }

  send(message: ToEngine): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(message);
  }
}

export const toError = (e: SerializedError): Error => Object.assign(new Error(e.message), { name: e.name, ...(e.code && { code: e.code }) });
