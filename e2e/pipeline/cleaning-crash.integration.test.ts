/**
 * Crash test: the cleaning service is killed (SIGKILL) mid-stream and restarted; every
 * ingested document must come out of cleaning exactly once — no loss, no duplicate output.
 */
import { EventBus, KafkaBus } from '@crucible/bus';
import { TopicProbe, brokers } from '@crucible/bus/testing';
import { TOPICS } from '@crucible/contracts';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGLISH_PARAGRAPHS } from '@crucible/cleaning/testing';
import { runTag } from './pipeline-services';

const ROOT = resolve(__dirname, '../..');
const DOCUMENTS = 400;

function startCleaning(dataDir: string): ChildProcess {
  return spawn(process.execPath, ['scripts/run-ts.cjs', 'services/cleaning/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      CRUCIBLE_BUS: 'kafka',
      KAFKA_BROKERS: brokers().join(','),
      CRUCIBLE_DATA_DIR: dataDir,
      CRUCIBLE_INSTANCE_ID: 'crash-test',
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Distinct documents: a paragraph plus a unique sentence, so most survive dedup and some do not. */
const documentText = (run: string, i: number) =>
  `${ENGLISH_PARAGRAPHS[i % ENGLISH_PARAGRAPHS.length]} This is note ${i} of run ${run}, written for the crash test.`;

describe('cleaning crash and restart (real Kafka)', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('cleans every accepted document exactly once across a SIGKILL', async () => {
    const run = randomUUID();
    const probe = await new TopicProbe([TOPICS.documentsCleaned, TOPICS.documentsRejected]).start();
    const mine = (e: { payload: { documentId: string } }) => ids.has(e.payload.documentId);
    const outcomes = () => [...probe.events(TOPICS.documentsCleaned, mine), ...probe.events(TOPICS.documentsRejected, mine)];

    const producer = new EventBus(new KafkaBus({ brokers: brokers(), clientId: 'crash-producer' }), 'e2e/crash');
    const ids = new Set<string>();
    const events = Array.from({ length: DOCUMENTS }, (_, i) => {
      const content = documentText(run, i);
      const documentId = `sha256:${createHash('sha256').update(content).digest('hex')}`;
      ids.add(documentId);
      return { documentId, content };
    });

    const dataDir = mkdtempSync(join(tmpdir(), 'crucible-crash-'));
    const first = startCleaning(dataDir);
    children.push(first);
    for (const { documentId, content } of events) {
      await producer.emit(
        TOPICS.documentsIngested,
        {
          documentId,
          content,
          mediaType: 'text/plain',
          bytes: Buffer.byteLength(content),
          source: { kind: 'kafka' },
          metadata: { run },
          receivedAt: new Date().toISOString(),
        },
        { key: documentId },
      );
    }

    // Kill it hard once part of the stream is through, then restart with the same state.
    await probe.until(() => outcomes().length >= DOCUMENTS / 8, 120_000, () => `only ${outcomes().length} outcomes before the kill`);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const before = outcomes().length;
    expect(before).toBeLessThan(DOCUMENTS); // the kill really happened mid-stream

    const second = startCleaning(dataDir);
    children.push(second);
    await probe.until(() => new Set(outcomes().map((e) => e.payload.documentId)).size === DOCUMENTS, 180_000, () => `${new Set(outcomes().map((e) => e.payload.documentId)).size}/${DOCUMENTS} documents have an outcome`);
    await new Promise((r) => setTimeout(r, 3_000)); // a late duplicate would show up here
    second.kill('SIGTERM');

    const all = outcomes();
    const perDocument = new Map<string, number>();
    for (const e of all) perDocument.set(e.payload.documentId, (perDocument.get(e.payload.documentId) ?? 0) + 1);
    expect(perDocument.size).toBe(DOCUMENTS);
    expect([...perDocument.values()].filter((n) => n !== 1)).toEqual([]);
    // Lineage survived the restart: cleaned documents still carry the metadata they were ingested with.
    expect(probe.events(TOPICS.documentsCleaned, mine).every((e) => runTag(e) === run)).toBe(true);
    await producer.transport.close();
    await probe.stop();
  });
});
