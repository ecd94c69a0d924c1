/**
 * Where a bare model name's traffic goes while a rollout runs: weighted routes per model,
 * from the embedded release controller or from the operator's routing file.
 */
export interface WeightedRoute {
  readonly version: string;
  /** Percent (any non-negative numbers work: they are normalised). */
  readonly weight: number;
}

export interface TrafficRoutes {
  /** Routes for a model, or undefined when all its traffic goes to the `champion` alias. */
  routesFor(model: string): readonly WeightedRoute[] | undefined;
  /** Every version some route names (they are kept loaded). */
  routedVersions(): string[];
}

/** Picks a route by weight; `random` in [0, 1). */
export function pickRoute(routes: readonly WeightedRoute[], random: number = Math.random()): string | undefined {
  const live = routes.filter((r) => r.weight > 0);
  const total = live.reduce((sum, r) => sum + r.weight, 0);
  if (total <= 0) return undefined;
  let point = random * total;
  for (const route of live) {
    point -= route.weight;
    if (point < 0) return route.version;
  }
  return live[live.length - 1]!.version;
}
