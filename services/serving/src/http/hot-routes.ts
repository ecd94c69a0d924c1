/**
 * The completion routes answered straight from node:http, ahead of Express and Nest's router:
 * on every request their routing, middleware and exception-filter layers cost about 0.4 ms of a
 * 2-core machine before the handler starts (measured with timestamps at the socket's `request`
 * event and at the handler), and a completion's latency is what users of the gateway compare.
 * Everything else (models, OpenAPI, feedback, admin, health, metrics) still goes through Nest.
 * Paths match as Express matches them by default: case-insensitive, one trailing slash allowed,
 * the query string ignored.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

export type HotRoute = (request: IncomingMessage, response: ServerResponse) => void;

/** Puts `routes` (POST, by path) in front of the server's existing request listeners. */
export function serveHotRoutes(server: Server, routes: Readonly<Record<string, HotRoute>>): void {
  const table = new Map(Object.entries(routes).map(([path, route]) => [path.toLowerCase(), route]));
  const fallback = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const route = request.method === 'POST' ? table.get(routePath(request.url)) : undefined;
    if (route) route(request, response);
    else for (const listener of fallback) listener.call(server, request, response);
  });
}

export function routePath(url = '/'): string {
  const query = url.indexOf('?');
  let path = query < 0 ? url : url.slice(0, query);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path.toLowerCase();
}
