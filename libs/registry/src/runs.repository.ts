/**
 * Training runs and their progress. Every write is idempotent: at-least-once delivery may
 * hand the same event to the registry twice, or out of order.
 */
import type { TrainingProgressed } from '@crucible/contracts';
import type { Selectable, Updateable } from 'kysely';
import { encodeJson, readOptionalTime } from './codec';
import type { RunsTable } from './database';
import { unknownRun } from './registry.errors';
import {
  TERMINAL_STATUSES,
  type CreateRunInput,
  type ListRunsQuery,
  type Run,
  type RunProgress,
  type RunStatus,
  type RunUpdate,
} from './registry.types';
import type { StoreContext } from './store-context';

const DEFAULT_LIST_LIMIT = 100;

export class RunsRepository {
  constructor(private readonly ctx: StoreContext) {}

  /** Records a run as `queued`; a second call with the same runId returns the first run unchanged. */
  async create(input: CreateRunInput): Promise<Run> {
    const now = this.ctx.now();
    await this.ctx.db
      .insertInto('runs')
      .values({
        run_id: input.runId,
        model: input.model,
        dataset_id: input.datasetId,
        request: encodeJson(input.request),
        status: 'queued',
        step: 0,
        attempt: 1,
        created_at: now,
        updated_at: now,
        started_at: null,
        finished_at: null,
      })
      .onConflict((oc) => oc.column('run_id').doNothing())
      .execute();
    return this.require(input.runId);
  }

  async get(runId: string): Promise<Run | undefined> {
    const row = await this.ctx.db.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
    return row && this.toRun(row);
  }

  async list(query: ListRunsQuery = {}): Promise<Run[]> {
    let select = this.ctx.db.selectFrom('runs').selectAll();
    if (query.status) select = select.where('status', '=', query.status);
    if (query.model) select = select.where('model', '=', query.model);
    const rows = await select
      .orderBy('created_at', 'desc')
      .orderBy('run_id', 'desc')
      .limit(query.limit ?? DEFAULT_LIST_LIMIT)
      .execute();
    return rows.map((row) => this.toRun(row));
  }

  /**
   * Applies a partial update. A terminal run stays terminal unless the update starts a new
   * attempt (a higher `attempt`): a late `running` after `succeeded` is a redelivery, not news.
   */
  async update(runId: string, update: RunUpdate): Promise<Run> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirst();
      if (!current) throw unknownRun(runId);
      const now = this.ctx.now();
      const changes: Updateable<RunsTable> = { updated_at: now };
      const newAttempt = update.attempt !== undefined && update.attempt > current.attempt;
      if (update.attempt !== undefined && newAttempt) changes.attempt = update.attempt;
      if (update.status && update.status !== current.status) {
        const staysTerminal = isTerminal(current.status) && !isTerminal(update.status) && !newAttempt;
        if (!staysTerminal) {
          changes.status = update.status;
          if (update.status === 'running' && (current.started_at === null || newAttempt)) changes.started_at = now;
          changes.finished_at = isTerminal(update.status) ? now : null;
        }
      }
      if (update.step !== undefined) changes.step = update.step;
      if (update.lastCheckpoint !== undefined) changes.last_checkpoint = update.lastCheckpoint;
      if (update.error !== undefined) changes.error = update.error;
      if (update.finalLoss !== undefined) changes.final_loss = update.finalLoss;
      if (update.modelVersionId !== undefined) changes.model_version_id = update.modelVersionId;
      await trx.updateTable('runs').set(changes).where('run_id', '=', runId).execute();
      const row = await trx.selectFrom('runs').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow();
      return this.toRun(row);
    });
  }

  /**
   * Stores one `training.progressed` payload; the same (runId, step) twice keeps the first.
   * The run's step and last losses follow the highest step seen, whatever the arrival order.
   */
  async appendProgress(runId: string, progress: TrainingProgressed): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const run = await trx.selectFrom('runs').select(['step', 'status']).where('run_id', '=', runId).executeTakeFirst();
      if (!run) throw unknownRun(runId);
      const now = this.ctx.now();
      const inserted = await trx
        .insertInto('run_progress')
        .values({ run_id: runId, step: progress.step, payload: encodeJson({ ...progress, runId }), recorded_at: now })
        .onConflict((oc) => oc.columns(['run_id', 'step']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0 || progress.step < run.step) return;
      await trx
        .updateTable('runs')
        .set({
          step: progress.step,
          total_steps: progress.totalSteps,
          last_loss: progress.loss,
          ...(progress.validationLoss !== undefined ? { last_validation_loss: progress.validationLoss } : {}),
          updated_at: now,
        })
        .where('run_id', '=', runId)
        .execute();
    });
  }

  /** Every progress record of a run, by step. */
  async progress(runId: string): Promise<RunProgress[]> {
    const rows = await this.ctx.db
      .selectFrom('run_progress')
      .select(['payload', 'recorded_at'])
      .where('run_id', '=', runId)
      .orderBy('step', 'asc')
      .execute();
    return rows.map((row) => ({
      ...this.ctx.codec.readJson<TrainingProgressed>(row.payload),
      recordedAt: this.ctx.codec.readTime(row.recorded_at),
    }));
  }

  private async require(runId: string): Promise<Run> {
    const run = await this.get(runId);
    if (!run) throw unknownRun(runId);
    return run;
  }

  private toRun(row: Selectable<RunsTable>): Run {
    const { codec } = this.ctx;
    return {
      runId: row.run_id,
      model: row.model,
      datasetId: row.dataset_id,
      request: codec.readJson(row.request),
      status: row.status as RunStatus,
      step: row.step,
      totalSteps: row.total_steps,
      lastLoss: row.last_loss,
      lastValidationLoss: row.last_validation_loss,
      lastCheckpoint: row.last_checkpoint,
      error: row.error,
      finalLoss: row.final_loss,
      attempt: row.attempt,
      modelVersionId: row.model_version_id,
      createdAt: codec.readTime(row.created_at),
      updatedAt: codec.readTime(row.updated_at),
      startedAt: readOptionalTime(codec, row.started_at),
      finishedAt: readOptionalTime(codec, row.finished_at),
    };
  }
}

const isTerminal = (status: string): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);
