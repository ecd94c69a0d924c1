/**
 * A ListWatch informer that survives errors: client-node's ListWatch stops on a watch error
 * (other than 410 Gone), so this restarts it with backoff. Every add/update/delete maps to
 * work-queue keys through `toKeys` (the object's own key, or its owner's for owned objects).
 */
import * as k8s from '@kubernetes/client-node';
import type { Logger } from '@crucible/service-kit';
import type { ObjectKey } from './object-key';

export interface WatcherOptions<T extends k8s.KubernetesObject> {
  kc: k8s.KubeConfig;
  /** e.g. `/apis/batch/v1/namespaces/ns/jobs` or `/apis/batch/v1/jobs` for all namespaces. */
  path: string;
  list: () => Promise<k8s.KubernetesListObject<T>>;
  labelSelector?: string;
  toKeys: (obj: T) => ObjectKey[];
  onKey: (key: ObjectKey) => void;
  logger: Logger;
}

const RESTART_MIN_MS = 500;
const RESTART_MAX_MS = 30_000;

export class Watcher<T extends k8s.KubernetesObject> {
  private readonly informer: k8s.ListWatch<T>;
  private stopped = false;
  private restartDelay = RESTART_MIN_MS;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WatcherOptions<T>) {
    this.informer = new k8s.ListWatch<T>(options.path, new k8s.Watch(options.kc), options.list, false, options.labelSelector);
    const emit = (obj: T) => {
      for (const key of options.toKeys(obj)) options.onKey(key);
    };
    this.informer.on(k8s.ADD, emit);
    this.informer.on(k8s.UPDATE, emit);
    this.informer.on(k8s.DELETE, emit);
    this.informer.on(k8s.CONNECT, () => {
      this.restartDelay = RESTART_MIN_MS;
    });
    this.informer.on(k8s.ERROR, (err) => this.scheduleRestart(err));
  }

  /** The informer's cache (objects as last seen by the watch). */
  get cache(): k8s.ObjectCache<T> {
    return this.informer;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.informer.start().catch((err: unknown) => this.scheduleRestart(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    await this.informer.stop();
  }

  private scheduleRestart(err: unknown): void {
    if (this.stopped) return;
    this.options.logger.warn({ err, path: this.options.path, retryInMs: this.restartDelay }, 'watch failed; restarting');
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) void this.start();
    }, this.restartDelay);
    this.restartDelay = Math.min(RESTART_MAX_MS, this.restartDelay * 2);
  }
}
