import { startGateway } from './testing/gateway-harness';
async function main() {
  const g = await startGateway({});
  const one = async () => {
    const t0 = performance.now();
    const r = await fetch(`${g.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'tiny', prompt: 'Citizen asks a question', max_tokens: 16, temperature: 0, stream: true }) });
    const reader = r.body!.getReader();
    let first = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!first && new TextDecoder().decode(value).includes('"text":"')) first = performance.now() - t0;
    }
    return [first, performance.now() - t0];
  };
  for (let i = 0; i < 3; i++) await one();
  const res = [];
  for (let i = 0; i < 8; i++) res.push(await one());
  console.log(res.map(([a, b]) => `${a.toFixed(1)}/${b.toFixed(1)}`).join(' '));
  const t0 = performance.now();
  const m = (await g.runtime.pool.load('tiny@1')).model;
  const ids = m.encode('Citizen asks a question');
  for (let i = 0; i < 8; i++) await m.generator.generate([ids], { maxTokens: 16, temperature: 0 });
  console.log('engine ms/request', (performance.now() - t0) / 8);
  await g.close();
}
void main();
