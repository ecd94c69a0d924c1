/** The first schema: runs, progress, models, versions, aliases with history, reports. */
import type { Kysely, Migration } from 'kysely';
import type { Codec } from '../codec';

export const initialSchema = (codec: Codec): Migration => ({
  // Migrations see the database untyped: the typed shape is what they produce.
  async up(db: Kysely<unknown>): Promise<void> {
    const { jsonType: json, timestampType: time } = codec;

    await db.schema
      .createTable('runs')
      .addColumn('run_id', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('request', json, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('step', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('total_steps', 'integer')
      .addColumn('last_loss', 'double precision')
      .addColumn('last_validation_loss', 'double precision')
      .addColumn('last_checkpoint', 'text')
      .addColumn('error', 'text')
      .addColumn('final_loss', 'double precision')
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('model_version_id', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .addColumn('started_at', time)
      .addColumn('finished_at', time)
      .execute();
    await db.schema.createIndex('runs_status_created').on('runs').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('runs_created').on('runs').column('created_at').execute();

    await db.schema
      .createTable('run_progress')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.run_id').onDelete('cascade'))
      .addColumn('step', 'integer', (c) => c.notNull())
      .addColumn('payload', json, (c) => c.notNull())
      .addColumn('recorded_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('run_progress_pk', ['run_id', 'step'])
      .execute();

    await db.schema
      .createTable('models')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', time, (c) => c.notNull())
      .addColumn('updated_at', time, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('model_versions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('model', 'text', (c) => c.notNull().references('models.name'))
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('run_id', 'text', (c) => c.notNull().unique())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text')
      .addColumn('dataset_sha256', 'text')
      .addColumn('tokenizer_id', 'text')
      .addColumn('code_version', 'text')
      .addColumn('hyper_parameters', json)
      .addColumn('artifact_path', 'text')
      .addColumn('parameters', 'double precision')
      .addColumn('metrics', json)
      .addColumn('reserved_at', time, (c) => c.notNull())
      .addColumn('created_at', time)
      .addUniqueConstraint('model_versions_model_n', ['model', 'n'])
      .execute();

    await db.schema
      .createTable('aliases')
      .addColumn('model', 'text', (c) => c.notNull().references('models.name'))
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('updated_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('aliases_pk', ['model', 'alias'])
      .execute();

    await db.schema
      .createTable('alias_history')
      .addColumn('model', 'text', (c) => c.notNull().references('models.name'))
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('alias', 'text', (c) => c.notNull())
      .addColumn('from_version_id', 'text')
      .addColumn('to_version_id', 'text', (c) => c.notNull())
      .addColumn('changed_by', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('changed_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('alias_history_pk', ['model', 'sequence'])
      .execute();

    await db.schema
      .createTable('reports')
      .addColumn('version_id', 'text', (c) => c.notNull().references('model_versions.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('sequence', 'integer', (c) => c.notNull())
      .addColumn('content_sha256', 'text', (c) => c.notNull())
      .addColumn('passed', 'integer', (c) => c.notNull())
      .addColumn('reasons', json, (c) => c.notNull())
      .addColumn('metrics', json, (c) => c.notNull())
      .addColumn('report', json, (c) => c.notNull())
      .addColumn('created_at', time, (c) => c.notNull())
      .addPrimaryKeyConstraint('reports_pk', ['version_id', 'kind', 'sequence'])
      .addUniqueConstraint('reports_content', ['version_id', 'kind', 'content_sha256'])
      .execute();
  },
});
