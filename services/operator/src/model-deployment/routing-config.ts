/**
 * The gateway's routing file (SERVING_ROUTING_FILE, mounted from a ConfigMap shared by every
 * ModelDeployment of the namespace): `{ "<model>": [{ "version": "sotu@3", "weight": 90 }, …] }`.
 * Pure helpers; the reconciler reads, edits one model's entry, and writes it back with the
 * resourceVersion it read (a concurrent edit for another model makes the write retry).
 */
import type { Route } from '@crucible/rollout';

export const ROUTING_KEY = 'routing.json';

export type RoutingTable = Record<string, Route[]>;

export function parseRouting(text: string | undefined): RoutingTable {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as RoutingTable) : {};
  } catch {
    return {};
  }
}

/** The table with `model`'s routes replaced (or removed when `routes` is undefined). */
export function withRoutes(table: RoutingTable, model: string, routes: Route[] | undefined): RoutingTable {
  const next: RoutingTable = { ...table };
  if (routes === undefined || routes.length === 0) delete next[model];
  else next[model] = routes;
  return Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
}

export const renderRouting = (table: RoutingTable): string => `${JSON.stringify(table, null, 2)}\n`;
