/** The engine-alone peer's thread (engine-alone.ts): only the model, so its heap stays small. */
import { parentPort, workerData } from 'node:worker_threads';
import { TextModel } from '@crucible/model-artifact';
import type { EngineAloneOptions, LevelRequest, RequestTiming } from './engine-alone';

async function serve(): Promise<void> {
  const { modelDir, threads, maxTokens: defaultMaxTokens } = workerData as EngineAloneOptions;
  // The gateway's session options (SERVING_ORT_SPIN_WAIT=false): the sides differ only by what the gateway adds.
  const load = () => TextModel.load(modelDir, { threads, spinWait: false });
  let model = await load();
  parentPort!.postMessage('ready');
  parentPort!.on('message', async (message: LevelRequest | 'reload') => {
    if (message === 'reload') {
      await model.close();
      model = await load();
      parentPort!.postMessage('ready');
      return;
    }
    const { prompts, concurrency, maxTokens = defaultMaxTokens } = message;
    const eot = model.eotToken;
    const timings: RequestTiming[] = [];
    const t0 = performance.now();
    for (let at = 0; at < prompts.length; at += concurrency) {
      const wave = prompts.slice(at, at + concurrency);
      const w0 = performance.now();
      const ids = wave.map((p) => model.encode(p));
      const rows = wave.map(() => ({ first: undefined as number | undefined, last: 0, itl: [] as number[], tokens: 0, end: 0 }));
      const decoders = wave.map(() => new TextDecoder());
      for await (const step of model.generator.stream(ids, { maxTokens, temperature: 0, ...(eot !== undefined && { stopTokens: [eot] }) })) {
        const now = performance.now();
        step.forEach((token, b) => {
          if (token === null || token === eot) return;
          const row = rows[b]!;
          row.tokens++;
          if (decoders[b]!.decode(model.tokenizer.decodeBytes([token]), { stream: true }).length === 0) return;
          if (row.first === undefined) row.first = now;
          else row.itl.push(now - row.last);
          row.last = now;
          row.end = now;
        });
        for (const [b, token] of step.entries()) if (token === eot || token === null) rows[b]!.end ||= now;
      }
      const done = performance.now();
      for (const row of rows) timings.push({ ttftMs: (row.first ?? done) - w0, e2eMs: (row.end || done) - w0, itlMs: row.itl, outputTokens: row.tokens });
    }
    parentPort!.postMessage({ timings, wallMs: performance.now() - t0 });
  });
}


void serve();
