/**
 * Model versions and aliases. A version number is handed out once per training run, in two
 * steps: `nextVersion(model, runId)` reserves `<model>@<n>` (training needs the id before it
 * writes `<dataDir>/models/<model>/<n>/`), then `registerVersion` records the lineage once the
 * artifact exists. Only registered versions are visible. Registered versions never change;
 * aliases move, and every move is kept in `alias_history`.
 *
 * Numbering is serialised by the `models` row of the model: every writer first updates it,
 * which takes the row lock in PostgreSQL and the write lock in SQLite (BEGIN IMMEDIATE).
 */
import type { Selectable, Transaction } from 'kysely';
import { canonicalJson } from './canonical-json';
import { encodeJson } from './codec';
import type { ModelVersionsTable, RegistryDatabase } from './database';
import { assertAliasName, assertModelName, parseModelReference, versionId } from './model-reference';
import { RegistryError, unknownVersion } from './registry.errors';
import type {
  AliasChange,
  ModelSummary,
  ModelVersion,
  RegisterVersionInput,
  SetAliasOptions,
  VersionReservation,
} from './registry.types';
import type { StoreContext } from './store-context';
import { retryOnUniqueViolation } from './unique-violation';

type Trx = Transaction<RegistryDatabase>;
type VersionRow = Selectable<ModelVersionsTable>;

export class ModelsRepository {
  constructor(private readonly ctx: StoreContext) {}

  /** Reserves the next version number for a run; the same run always gets the same number. */
  async nextVersion(model: string, runId: string): Promise<VersionReservation> {
    assertModelName(model);
    const row = await retryOnUniqueViolation(() =>
      this.ctx.db.transaction().execute((trx) => this.reserve(trx, model, runId)),
    );
    return { id: row.id, model: row.model, n: row.n, runId: row.run_id };
  }

  /**
   * Records a version's lineage, using the run's reservation if there is one. Idempotent per
   * run: the same lineage again returns the same version; different lineage throws
   * `version_conflict`, because versions are immutable.
   */
  async registerVersion(input: RegisterVersionInput): Promise<ModelVersion> {
    assertModelName(input.model);
    const existing = await this.byRun(input.runId);
    if (existing?.state === 'registered') return this.sameLineageOrThrow(existing, input);
    return retryOnUniqueViolation(() =>
      this.ctx.db.transaction().execute(async (trx) => {
        const row = await this.reserve(trx, input.model, input.runId);
        if (row.state === 'registered') return this.sameLineageOrThrow(row, input);
        await trx
          .updateTable('model_versions')
          .set({
            state: 'registered',
            dataset_id: input.datasetId,
            dataset_sha256: input.datasetSha256,
            tokenizer_id: input.tokenizerId,
            code_version: input.codeVersion,
            hyper_parameters: encodeJson(input.hyperParameters),
            artifact_path: input.artifactPath,
            parameters: input.parameters,
            metrics: encodeJson(input.metrics ?? {}),
            created_at: this.ctx.now(),
          })
          .where('id', '=', row.id)
          .execute();
        return this.toVersion(await trx.selectFrom('model_versions').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow());
      }),
    );
  }

  /** A registered version by id (`sotu@3`); undefined when unknown or only reserved. */
  async getVersion(id: string): Promise<ModelVersion | undefined> {
    const ref = parseModelReference(id);
    if (ref.kind !== 'version') {
      throw new RegistryError('invalid_reference', `'${id}' is not a version id: expected <model>@<n>`);
    }
    const row = await this.ctx.db
      .selectFrom('model_versions')
      .selectAll()
      .where('id', '=', ref.id)
      .where('state', '=', 'registered')
      .executeTakeFirst();
    return row && this.toVersion(row);
  }

  /** Registered versions, by model then number. */
  async listVersions(model?: string): Promise<ModelVersion[]> {
    let select = this.ctx.db.selectFrom('model_versions').selectAll().where('state', '=', 'registered');
    if (model !== undefined) select = select.where('model', '=', model);
    const rows = await select.orderBy('model').orderBy('n').execute();
    return rows.map((row) => this.toVersion(row));
  }

  /** Every model with at least one registered version, with its aliases. */
  async listModels(): Promise<ModelSummary[]> {
    const versions = await this.ctx.db
      .selectFrom('model_versions')
      .select(['model', (eb) => eb.fn.countAll().as('versions'), (eb) => eb.fn.max('n').as('latest')])
      .where('state', '=', 'registered')
      .groupBy('model')
      .orderBy('model')
      .execute();
    const aliases = await this.ctx.db.selectFrom('aliases').selectAll().orderBy('alias').execute();
    return versions.map((row) => ({
      name: row.model,
      versions: Number(row.versions),
      latest: versionId(row.model, Number(row.latest)),
      aliases: Object.fromEntries(aliases.filter((a) => a.model === row.model).map((a) => [a.alias, a.version_id])),
    }));
  }

  /** Points `model:alias` at a registered version of that model; a no-op when it already does. */
  async setAlias(model: string, alias: string, targetVersionId: string, options: SetAliasOptions = {}): Promise<AliasChange | undefined> {
    assertModelName(model);
    assertAliasName(alias);
    const target = parseModelReference(targetVersionId);
    if (target.kind !== 'version' || target.model !== model) {
      throw new RegistryError('invalid_reference', `alias '${model}:${alias}' can only point at a version of '${model}', not '${targetVersionId}'`);
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.now();
      await this.lockModel(trx, model, target.id);
      const version = await trx
        .selectFrom('model_versions')
        .select('id')
        .where('id', '=', target.id)
        .where('state', '=', 'registered')
        .executeTakeFirst();
      if (!version) throw unknownVersion(target.id);
      const current = await trx
        .selectFrom('aliases')
        .select('version_id')
        .where('model', '=', model)
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (current?.version_id === target.id) return undefined;
      await trx
        .insertInto('aliases')
        .values({ model, alias, version_id: target.id, updated_at: now })
        .onConflict((oc) => oc.columns(['model', 'alias']).doUpdateSet({ version_id: target.id, updated_at: now }))
        .execute();
      const last = await trx
        .selectFrom('alias_history')
        .select((eb) => eb.fn.max('sequence').as('sequence'))
        .where('model', '=', model)
        .executeTakeFirst();
      const change: AliasChange = {
        model,
        alias,
        fromVersionId: current?.version_id,
        toVersionId: target.id,
        by: options.by ?? 'unknown',
        reason: options.reason ?? '',
        at: now,
      };
      await trx
        .insertInto('alias_history')
        .values({
          model,
          sequence: Number(last?.sequence ?? 0) + 1,
          alias,
          from_version_id: change.fromVersionId ?? null,
          to_version_id: change.toVersionId,
          changed_by: change.by,
          reason: change.reason,
          changed_at: now,
        })
        .execute();
      return change;
    });
  }

  /** `{ champion: 'sotu@3', challenger: 'sotu@4' }`. */
  async aliases(model: string): Promise<Record<string, string>> {
    const rows = await this.ctx.db.selectFrom('aliases').select(['alias', 'version_id']).where('model', '=', model).orderBy('alias').execute();
    return Object.fromEntries(rows.map((r) => [r.alias, r.version_id]));
  }

  /** Every move of the model's aliases (or of one alias), oldest first. */
  async aliasHistory(model: string, alias?: string): Promise<AliasChange[]> {
    let select = this.ctx.db.selectFrom('alias_history').selectAll().where('model', '=', model);
    if (alias !== undefined) select = select.where('alias', '=', alias);
    const rows = await select.orderBy('sequence').execute();
    return rows.map((r) => ({
      model: r.model,
      alias: r.alias,
      fromVersionId: r.from_version_id ?? undefined,
      toVersionId: r.to_version_id,
      by: r.changed_by,
      reason: r.reason,
      at: this.ctx.codec.readTime(r.changed_at),
    }));
  }

  /** `sotu@3`, `sotu:challenger` or `sotu` (= `sotu:champion`) → the version, if any. */
  async resolve(ref: string): Promise<ModelVersion | undefined> {
    const parsed = parseModelReference(ref);
    if (parsed.kind === 'version') return this.getVersion(parsed.id);
    const alias = await this.ctx.db
      .selectFrom('aliases')
      .select('version_id')
      .where('model', '=', parsed.model)
      .where('alias', '=', parsed.alias)
      .executeTakeFirst();
    return alias ? this.getVersion(alias.version_id) : undefined;
  }

  /** Takes the model's lock (creating its row on first use) and returns the run's version row. */
  private async reserve(trx: Trx, model: string, runId: string): Promise<VersionRow> {
    const now = this.ctx.now();
    await trx
      .insertInto('models')
      .values({ name: model, last_version: 0, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    await this.lockModel(trx, model, model);
    const existing = await trx.selectFrom('model_versions').selectAll().where('run_id', '=', runId).executeTakeFirst();
    if (existing) {
      if (existing.model !== model) {
        throw new RegistryError('version_conflict', `run '${runId}' already has version '${existing.id}' of model '${existing.model}', not of '${model}'`);
      }
      return existing;
    }
    const { last_version: n } = await trx
      .updateTable('models')
      .set((eb) => ({ last_version: eb('last_version', '+', 1) }))
      .where('name', '=', model)
      .returning('last_version')
      .executeTakeFirstOrThrow();
    const id = versionId(model, n);
    await trx
      .insertInto('model_versions')
      .values({
        id,
        model,
        n,
        run_id: runId,
        state: 'reserved',
        dataset_id: null,
        dataset_sha256: null,
        tokenizer_id: null,
        code_version: null,
        hyper_parameters: null,
        artifact_path: null,
        parameters: null,
        metrics: null,
        reserved_at: now,
        created_at: null,
      })
      .execute();
    return trx.selectFrom('model_versions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  /** A write to the model's row: the lock that serialises numbering, alias moves and report sequences. */
  private async lockModel(trx: Trx, model: string, wanted: string): Promise<void> {
    const result = await trx.updateTable('models').set({ updated_at: this.ctx.now() }).where('name', '=', model).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw unknownVersion(wanted);
  }

  private byRun(runId: string): Promise<VersionRow | undefined> {
    return this.ctx.db.selectFrom('model_versions').selectAll().where('run_id', '=', runId).executeTakeFirst();
  }

  private sameLineageOrThrow(row: VersionRow, input: RegisterVersionInput): ModelVersion {
    const existing = this.toVersion(row);
    const differing = LINEAGE_FIELDS.filter(
      (field) => canonicalJson(existing[field]) !== canonicalJson(field === 'metrics' ? (input.metrics ?? {}) : input[field]),
    );
    if (differing.length > 0) {
      throw new RegistryError(
        'version_conflict',
        `version '${existing.id}' of run '${input.runId}' is registered with different ${differing.join(', ')}; versions are immutable`,
      );
    }
    return existing;
  }

  private toVersion(row: VersionRow): ModelVersion {
    const { codec } = this.ctx;
    return {
      id: row.id,
      model: row.model,
      n: row.n,
      runId: row.run_id,
      datasetId: row.dataset_id ?? '',
      datasetSha256: row.dataset_sha256 ?? '',
      tokenizerId: row.tokenizer_id ?? '',
      codeVersion: row.code_version ?? '',
      hyperParameters: codec.readJson<Record<string, unknown>>(row.hyper_parameters) ?? {},
      artifactPath: row.artifact_path ?? '',
      parameters: Number(row.parameters ?? 0),
      metrics: codec.readJson<Record<string, number>>(row.metrics) ?? {},
      createdAt: codec.readTime(row.created_at ?? row.reserved_at),
    };
  }
}

const LINEAGE_FIELDS = [
  'model',
  'datasetId',
  'datasetSha256',
  'tokenizerId',
  'codeVersion',
  'hyperParameters',
  'artifactPath',
  'parameters',
  'metrics',
] as const satisfies readonly (keyof RegisterVersionInput & keyof ModelVersion)[];
