/**
 * Runs each attempt as a `TrainingRun` (crucible.dev/v1alpha1) that the operator turns into a
 * GPU Job; follows the run's status and reports it to the listener. The TrainingRun is named
 * after the run, so a restarted service re-attaches to a run still going in the cluster, and
 * `cancel` is `spec.suspend: true`. Pod retries happen inside the Job (backoffLimit), each
 * resuming from the checkpoint volume, so a Failed TrainingRun is final for the service.
 */
import * as k8s from '@kubernetes/client-node';
import { API_VERSION, GROUP, TRAINING_RUN, VERSION, type TrainingRun } from '@crucible/crds';
import type { JobExit, LaunchHandle, LaunchListener, Launcher, TrainingJob } from '../launcher';
import { type TrainingRunTemplate, isActive, signalsBetween, trainingRunNameOf, trainingRunSpecOf } from './training-run.mapping';

export interface KubernetesLauncherOptions {
  /** Default: KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeConfig?: k8s.KubeConfig;
  /** Default: the kubeconfig context's namespace, else `default`. */
  namespace?: string;
  template?: TrainingRunTemplate;
  /** How often a run's status is read. */
  pollMs?: number;
}

const statusOf = (e: unknown) => (e as { code?: number }).code;
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

interface Follower {
  stop: () => void;
}

export class KubernetesLauncher implements Launcher {
  readonly kind = 'kubernetes' as const;
  private readonly custom: k8s.CustomObjectsApi;
  private readonly namespace: string;
  private readonly pollMs: number;
  private readonly followers = new Map<string, Follower>();

  constructor(private readonly options: KubernetesLauncherOptions = {}) {
    const kc = options.kubeConfig ?? new k8s.KubeConfig();
    if (!options.kubeConfig) kc.loadFromDefault();
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.namespace = options.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
    this.pollMs = options.pollMs ?? 2_000;
  }

  private get(name: string): Promise<TrainingRun | undefined> {
    return (this.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: TRAINING_RUN.plural, name }) as Promise<TrainingRun>).catch(
      (e: unknown) => (statusOf(e) === 404 ? undefined : Promise.reject(e)),
    );
  }

  launch(job: TrainingJob, listener: LaunchListener): LaunchHandle {
    const name = trainingRunNameOf(job.runId);
    const exit = (async (): Promise<JobExit> => {
      try {
        const existing = await this.get(name);
        if (existing && !isActive(existing)) {
          // An earlier attempt's run ended; this attempt starts a fresh one (resuming from the volume).
          await this.custom.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: this.namespace, plural: TRAINING_RUN.plural, name });
          await this.waitGone(name);
        }
        if (!existing || !isActive(existing)) {
          await this.custom.createNamespacedCustomObject({
            group: GROUP,
            version: VERSION,
            namespace: this.namespace,
            plural: TRAINING_RUN.plural,
            body: {
              apiVersion: API_VERSION,
              kind: 'TrainingRun',
              // The operator adds the run-id label (its bus consumer finds runs by it).
              metadata: { name, annotations: { 'crucible.dev/attempt': String(job.attempt) } },
              spec: trainingRunSpecOf(job, this.options.template ?? {}),
            },
          });
        }
      } catch (error) {
        return { outcome: 'failed', reason: `could not create the TrainingRun: ${(error as Error).message}`, retriable: true };
      }
      return this.follow(job.runId, name, listener);
    })();
    return { runId: job.runId, exit };
  }

  async reattach(job: TrainingJob, listener: LaunchListener): Promise<LaunchHandle | undefined> {
    const name = trainingRunNameOf(job.runId);
    const run = await this.get(name);
    if (!isActive(run)) return undefined;
    return { runId: job.runId, exit: this.follow(job.runId, name, listener, run!.status) };
  }

  async cancel(runId: string): Promise<boolean> {
    const name = trainingRunNameOf(runId);
    const run = await this.get(name);
    if (!isActive(run)) return false;
    await this.custom.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace: this.namespace, plural: TRAINING_RUN.plural, name, body: { spec: { suspend: true } } },
      mergePatch,
    );
    return true;
  }

  /** Stops following; the runs keep going in the cluster and are re-attached on the next start. */
  async close(): Promise<void> {
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
  }

  private async waitGone(name: string): Promise<void> {
    for (let i = 0; i < 120 && (await this.get(name)); i++) await new Promise((r) => setTimeout(r, 500));
  }

  private follow(runId: string, name: string, listener: LaunchListener, seen?: TrainingRun['status']): Promise<JobExit> {
    return new Promise<JobExit>((resolve) => {
      let last = seen;
      let timer: NodeJS.Timeout | undefined;
      const stop = () => {
        clearTimeout(timer);
        this.followers.delete(runId);
        resolve({ outcome: 'stopped' });
      };
      this.followers.set(runId, { stop });
      const tick = async () => {
        try {
          const run = await this.get(name);
          if (!run) {
            this.followers.delete(runId);
            return resolve({ outcome: 'failed', reason: `TrainingRun ${this.namespace}/${name} was deleted`, retriable: true });
          }
          for (const signal of signalsBetween(last, run.status)) {
            if (signal.kind === 'progress') listener.onProgress(signal.progress);
            else if (signal.kind === 'checkpoint') listener.onCheckpoint(signal.checkpoint);
            else {
              if (signal.final) listener.onFinished(signal.final);
              this.followers.delete(runId);
              return resolve(signal.exit);
            }
          }
          last = run.status;
        } catch {
          // A failed read (apiserver restart, network) is retried on the next tick.
        }
        if (this.followers.has(runId)) timer = setTimeout(() => void tick(), this.pollMs);
      };
      void tick();
    });
  }
}
