/**
 * Leader election through a coordination.k8s.io/v1 Lease, as client-go's leaderelection does
 * it: the holder renews `renewTime` every `retryPeriod`; a candidate takes the Lease over only
 * when the record has not changed for `leaseDuration` as measured by its *own* clock (so clock
 * skew between replicas does not matter). Writes carry the resourceVersion they read, so two
 * candidates cannot both win. A leader that cannot renew within `renewDeadline` steps down.
 */
import * as k8s from '@kubernetes/client-node';
import type { Logger } from '@crucible/service-kit';

export interface LeaderElectionOptions {
  kc: k8s.KubeConfig;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  logger: Logger;
  onStartedLeading: () => void | Promise<void>;
  /** Called once leadership is lost (not on a graceful `stop`): the process should exit. */
  onStoppedLeading: () => void;
  now?: () => number;
}

/** RFC 3339 with microseconds, the MicroTime format the Lease fields need. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

const statusOf = (e: unknown) => (e as { code?: number }).code;

export class LeaderElector {
  private readonly api: k8s.CoordinationV1Api;
  private observedRecord = '';
  private observedAt = 0;
  private leading = false;
  private lastRenew = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: LeaderElectionOptions) {
    this.api = options.kc.makeApiClient(k8s.CoordinationV1Api);
    this.now = options.now ?? Date.now;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops competing; a leader releases the Lease so a standby takes over without waiting. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.api.readNamespacedLease({ name: this.options.name, namespace: this.options.namespace });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      lease.spec.holderIdentity = undefined;
      lease.spec.leaseDurationSeconds = 1;
      await this.api.replaceNamespacedLease({ name: this.options.name, namespace: this.options.namespace, body: lease });
    } catch (err) {
      this.options.logger.warn({ err }, 'could not release the lease');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const held = await this.tryAcquireOrRenew();
      if (held) {
        this.lastRenew = this.now();
        if (!this.leading) {
          this.leading = true;
          this.options.logger.info({ lease: this.options.name, identity: this.options.identity }, 'became leader');
          await this.options.onStartedLeading();
        }
      } else if (this.leading) {
        this.loseLeadership('another replica holds the lease');
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'lease request failed');
      if (this.leading && this.now() - this.lastRenew > this.options.renewDeadlineMs) {
        this.loseLeadership('could not renew within the renew deadline');
      }
    }
    if (!this.stopped) {
      // Not unref'd: for a standby replica this timer is what keeps the process alive.
      this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs);
    }
  }

  private loseLeadership(reason: string): void {
    this.leading = false;
    this.options.logger.error({ lease: this.options.name, reason }, 'lost leadership');
    this.options.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity, leaseDurationMs } = this.options;
    const now = this.now();
    const durationSeconds = Math.max(1, Math.ceil(leaseDurationMs / 1000));
    let lease: k8s.V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
      const body: k8s.V1Lease = {
        metadata: { name, namespace },
        spec: {
          holderIdentity: identity,
          leaseDurationSeconds: durationSeconds,
          acquireTime: microTime(now) as unknown as Date,
          renewTime: microTime(now) as unknown as Date,
          leaseTransitions: 0,
        },
      };
      return this.api.createNamespacedLease({ namespace, body }).then(
        () => true,
        (e: unknown) => (statusOf(e) === 409 ? false : Promise.reject(e)),
      );
    }
    const spec = lease.spec ?? {};
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.leaseDurationSeconds]);
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = now;
    }
    const holder = spec.holderIdentity;
    const heldByMe = holder === identity;
    const expired = !holder || now - this.observedAt > (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (!heldByMe && !expired) return false;

    lease.spec = {
      ...spec,
      holderIdentity: identity,
      leaseDurationSeconds: durationSeconds,
      renewTime: microTime(now) as unknown as Date,
      ...(heldByMe
        ? {}
        : { acquireTime: microTime(now) as unknown as Date, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }),
    };
    if (spec.acquireTime && heldByMe) lease.spec.acquireTime = spec.acquireTime;
    return this.api.replaceNamespacedLease({ name, namespace, body: lease }).then(
      (updated) => {
        const s = updated.spec ?? {};
        this.observedRecord = JSON.stringify([s.holderIdentity, s.renewTime, s.leaseDurationSeconds]);
        this.observedAt = now;
        return true;
      },
      (e: unknown) => (statusOf(e) === 409 ? false : Promise.reject(e)),
    );
  }
}
