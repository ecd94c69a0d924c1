/** Per-stage counts read from the bus itself, so they are right whichever process did the work. */
import type { Bus } from '@crucible/bus';
import { TOPICS, dlqTopic } from '@crucible/contracts';

export const STAGE_TOPICS = [
  ['received', TOPICS.documentsReceived],
  ['ingested', TOPICS.documentsIngested],
  ['cleaned', TOPICS.documentsCleaned],
  ['rejected', TOPICS.documentsRejected],
] as const;

export type StageCounts = Record<(typeof STAGE_TOPICS)[number][0] | 'deadLettered', number>;

export async function stageCounts(bus: Bus): Promise<StageCounts> {
  const counts = Object.fromEntries(
    await Promise.all(STAGE_TOPICS.map(async ([name, topic]) => [name, await bus.countRecords(topic)] as const)),
  ) as Omit<StageCounts, 'deadLettered'>;
  const dead = await Promise.all(STAGE_TOPICS.map(([, topic]) => bus.countRecords(dlqTopic(topic))));
  return { ...counts, deadLettered: dead.reduce((a, b) => a + b, 0) };
}

export const formatCounts = (c: StageCounts): string =>
  `ingested ${c.ingested} → cleaned ${c.cleaned}, rejected ${c.rejected}, dead-lettered ${c.deadLettered}`;

export function formatTable(c: StageCounts): string {
  const rows: [string, number][] = [
    ['documents received (bus)', c.received],
    ['documents ingested', c.ingested],
    ['documents cleaned', c.cleaned],
    ['documents rejected', c.rejected],
    ['dead-lettered records', c.deadLettered],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, n]) => `  ${label.padEnd(width)}  ${String(n).padStart(8)}`).join('\n');
}
