/**
 * Evaluation and safety reports per model version. Saves append history and never overwrite;
 * `get` returns the latest. Saving a report identical to one already stored for the same
 * (version, kind) is a no-op, so a redelivered event neither duplicates nor reorders history.
 */
import type { Verdict } from '@crucible/contracts';
import type { Selectable } from 'kysely';
import { sha256Of } from './canonical-json';
import { encodeJson } from './codec';
import type { ReportsTable } from './database';
import { parseModelReference } from './model-reference';
import { RegistryError, unknownVersion } from './registry.errors';
import type { ReportKind, SaveReportInput, StoredReport } from './registry.types';
import type { StoreContext } from './store-context';
import { retryOnUniqueViolation } from './unique-violation';

export class ReportsRepository {
  constructor(private readonly ctx: StoreContext) {}

  async save(input: SaveReportInput): Promise<StoredReport> {
    const ref = parseModelReference(input.versionId);
    if (ref.kind !== 'version') {
      throw new RegistryError('invalid_reference', `reports belong to a version id (<model>@<n>), not '${input.versionId}'`);
    }
    const contentSha256 = sha256Of({ verdict: input.verdict, metrics: input.metrics, report: input.report ?? null });
    return retryOnUniqueViolation(() =>
      this.ctx.db.transaction().execute(async (trx) => {
        // The model row is the lock that orders report sequences (see ModelsRepository).
        const locked = await trx.updateTable('models').set({ updated_at: this.ctx.now() }).where('name', '=', ref.model).executeTakeFirst();
        const version = await trx
          .selectFrom('model_versions')
          .select('id')
          .where('id', '=', ref.id)
          .where('state', '=', 'registered')
          .executeTakeFirst();
        if (Number(locked.numUpdatedRows) === 0 || !version) throw unknownVersion(ref.id);
        const same = await trx
          .selectFrom('reports')
          .selectAll()
          .where('version_id', '=', ref.id)
          .where('kind', '=', input.kind)
          .where('content_sha256', '=', contentSha256)
          .executeTakeFirst();
        if (same) return this.toReport(same);
        const last = await trx
          .selectFrom('reports')
          .select((eb) => eb.fn.max('sequence').as('sequence'))
          .where('version_id', '=', ref.id)
          .where('kind', '=', input.kind)
          .executeTakeFirst();
        const row = {
          version_id: ref.id,
          kind: input.kind,
          sequence: Number(last?.sequence ?? 0) + 1,
          content_sha256: contentSha256,
          passed: input.verdict.passed ? 1 : 0,
          reasons: encodeJson(input.verdict.reasons),
          metrics: encodeJson(input.metrics),
          report: encodeJson(input.report ?? null),
          created_at: this.ctx.now(),
        };
        await trx.insertInto('reports').values(row).execute();
        return this.toReport(
          await trx
            .selectFrom('reports')
            .selectAll()
            .where('version_id', '=', row.version_id)
            .where('kind', '=', row.kind)
            .where('sequence', '=', row.sequence)
            .executeTakeFirstOrThrow(),
        );
      }),
    );
  }

  /** The latest report of that kind for the version. */
  async get(versionId: string, kind: ReportKind): Promise<StoredReport | undefined> {
    const row = await this.ctx.db
      .selectFrom('reports')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('kind', '=', kind)
      .orderBy('sequence', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && this.toReport(row);
  }

  /** Every report of the version, all history, by kind then sequence. */
  async list(versionId: string): Promise<StoredReport[]> {
    const rows = await this.ctx.db
      .selectFrom('reports')
      .selectAll()
      .where('version_id', '=', versionId)
      .orderBy('kind')
      .orderBy('sequence')
      .execute();
    return rows.map((row) => this.toReport(row));
  }

  private toReport(row: Selectable<ReportsTable>): StoredReport {
    const { codec } = this.ctx;
    const verdict: Verdict = { passed: Number(row.passed) === 1, reasons: codec.readJson<string[]>(row.reasons) };
    return {
      versionId: row.version_id,
      kind: row.kind as ReportKind,
      verdict,
      metrics: codec.readJson<Record<string, number>>(row.metrics),
      report: codec.readJson<unknown>(row.report),
      sequence: row.sequence,
      createdAt: codec.readTime(row.created_at),
    };
  }
}
