/** Readiness checks services register (a store opened, a model loaded); `/readyz` runs them all. */
export type ReadinessCheck = () => Promise<boolean> | boolean;

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private stopping = false;

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Called on shutdown: readiness fails first so load balancers stop sending traffic. */
  markStopping(): void {
    this.stopping = true;
  }

  async evaluate(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const results: Record<string, boolean> = { accepting: !this.stopping };
    for (const [name, check] of this.checks) {
      results[name] = await Promise.resolve()
        .then(check)
        .catch(() => false);
    }
    return { ready: Object.values(results).every(Boolean), checks: results };
  }
}
