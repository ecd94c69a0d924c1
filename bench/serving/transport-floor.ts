/**
 * The transport floor of bench:serving: a raw node:http server in its own process with one worker
 * thread (transport-floor.server.ts), no model and no work. A request's round trip — client →
 * server → thread → server → client, on the bench's keep-alive client — is the minimum any HTTP
 * gateway with an engine thread pays on this machine, so the gateway's overhead is read beside it.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export interface TransportFloor {
  readonly url: string;
  close(): Promise<void>;
}

export async function startTransportFloor(): Promise<TransportFloor> {
  const root = resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-ts.cjs'), join(__dirname, 'transport-floor.server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) ok(Number(out.trim()));
    });
    child.once('exit', (code) => fail(new Error(`transport-floor server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
