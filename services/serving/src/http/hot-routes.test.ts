import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { routePath, serveHotRoutes } from './hot-routes';

/** Sends one request and resolves with the status and body text. */
function send(server: Server, method: string, path: string): Promise<{ status: number; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveHotRoutes', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('matches paths as Express does by default: any case, one trailing slash, the query ignored', () => {
    expect(routePath('/v1/completions')).toBe('/v1/completions');
    expect(routePath('/V1/Chat/Completions/')).toBe('/v1/chat/completions');
    expect(routePath('/v1/completions?api-version=1')).toBe('/v1/completions');
    expect(routePath('/')).toBe('/');
    expect(routePath(undefined)).toBe('/');
  });

  it('answers POSTs to its routes itself and hands everything else to the listeners that were there', async () => {
    const fallback = (req: IncomingMessage, res: ServerResponse) => res.end(`fallback ${req.method} ${req.url}`);
    server = createServer(fallback);
    serveHotRoutes(server, { '/v1/completions': (req, res) => res.end(`hot ${req.url}`) });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));

    expect(await send(server, 'POST', '/v1/completions')).toEqual({ status: 200, body: 'hot /v1/completions' });
    expect(await send(server, 'POST', '/V1/completions/?x=1')).toEqual({ status: 200, body: 'hot /V1/completions/?x=1' });
    expect(await send(server, 'GET', '/v1/completions')).toEqual({ status: 200, body: 'fallback GET /v1/completions' });
    expect(await send(server, 'POST', '/v1/models')).toEqual({ status: 200, body: 'fallback POST /v1/models' });
    expect(server.listenerCount('request')).toBe(1);
  });
});
