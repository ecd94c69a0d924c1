/**
 * The transport-floor server (transport-floor.ts starts it in its own process): raw node:http,
 * one worker thread that answers at once, one SSE content chunk, a usage chunk, [DONE]. It does
 * what any HTTP gateway with an engine thread must do per request and nothing else.
 * Prints its port on stdout when listening.
 */
import { createServer } from 'node:http';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, evaluated: the thread loads nothing, so the hop costs only the messages.
const engineThread = new Worker("require('node:worker_threads').parentPort.on('message', (id) => require('node:worker_threads').parentPort.postMessage(id));", { eval: true });
const waiting = new Map<number, () => void>();
engineThread.on('message', (id: number) => {
  waiting.get(id)?.();
  waiting.delete(id);
});
let nextId = 0;
const hop = () =>
  new Promise<void>((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    engineThread.postMessage(id);
  });

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', async () => {
    JSON.parse(body);
    await hop();
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.cork(); // one packet, one wake-up of the client: the least a gateway can do
    res.write('data: {"choices":[{"text":"x"}]}\n\n');
    res.write('data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n');
    res.end('data: [DONE]\n\n');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => process.exit(0));
