/**
 * External rollout mode (Kubernetes): the operator owns the rollout and writes the routing
 * weights into a ConfigMap mounted as a file, `{ "<model>": [{ "version": "sotu@3", "weight": 90 }, …] }`.
 * The gateway re-reads it when it changes (polling its mtime: ConfigMap updates arrive as a
 * symlink swap, which `fs.watch` misses) and keeps the last good content when a write is
 * invalid or half-done. `InlineRoutes` is the same content given once, fixed for the process's
 * life (`SERVING_ROUTES`: a per-version Deployment pinned to its version by the operator).
 */
import type { Logger } from '@crucible/service-kit';
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { TrafficRoutes, WeightedRoute } from './traffic-routes';

/** `{ "<model>": [{ "version": "<model>@<n>", "weight": 0..100 }, …] }`: the routing file's content, and SERVING_ROUTES. */
export const RoutingSchema = z.record(
  z.string().min(1),
  z.array(z.object({ version: z.string().regex(/^[^@:\s]+@[1-9][0-9]*$/, 'expected <model>@<n>'), weight: z.number().min(0).max(100) }).strict()),
);
export type Routing = z.output<typeof RoutingSchema>;

/** Parses routing JSON text; the error names what is wrong (bad JSON, or the path and problem of each bad entry). */
export function parseRouting(text: string): Routing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const parsed = RoutingSchema.safeParse(json);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; '));
  return parsed.data;
}

const liveRoutes = (routes: Routing, model: string): readonly WeightedRoute[] | undefined => {
  const rs = routes[model];
  return rs && rs.some((r) => r.weight > 0) ? rs : undefined;
};
const routedVersionsOf = (routes: Routing): string[] => [...new Set(Object.values(routes).flatMap((rs) => rs.filter((r) => r.weight > 0).map((r) => r.version)))];

/** Routes given once (SERVING_ROUTES), never re-read. */
export class InlineRoutes implements TrafficRoutes {
  constructor(private readonly routes: Routing) {}

  routesFor(model: string): readonly WeightedRoute[] | undefined {
    return liveRoutes(this.routes, model);
  }

  routedVersions(): string[] {
    return routedVersionsOf(this.routes);
  }
}

export class RoutingFile implements TrafficRoutes {
  private routes: Routing = {};
  private mtimeMs = -1;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    /** Called after each successful (re-)read with every routed version. */
    private readonly onChange: (versions: string[]) => void = () => undefined,
    pollMs = 1_000,
  ) {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), pollMs);
    this.timer.unref();
  }

  routesFor(model: string): readonly WeightedRoute[] | undefined {
    return liveRoutes(this.routes, model);
  }

  routedVersions(): string[] {
    return routedVersionsOf(this.routes);
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the file if it changed; returns whether the routes changed. */
  refresh(): boolean {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      if (this.mtimeMs !== -1) this.logger.warn({ path: this.path }, 'routing file disappeared; keeping the last routes');
      return false;
    }
    if (mtimeMs === this.mtimeMs) return false;
    try {
      const parsed = parseRouting(readFileSync(this.path, 'utf8'));
      this.routes = parsed;
      this.mtimeMs = mtimeMs;
      this.logger.info({ path: this.path, routes: parsed }, 'routing file loaded');
      this.onChange(this.routedVersions());
      return true;
    } catch (error) {
      this.logger.warn({ path: this.path, err: (error as Error).message }, 'routing file invalid; keeping the last routes');
      return false;
    }
  }
}
