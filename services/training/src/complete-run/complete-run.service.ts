/**
 * Completion: the final `training.checkpointed` of a run becomes a model version. Reserves
 * `<model>@<n>` in the registry, writes `<dataDir>/models/<model>/<n>/` from the final
 * checkpoint (HF weights — LoRA merged —, the dataset's tokenizer.json, crucible.json lineage),
 * registers the version and marks the run `succeeded`. Every step is idempotent per run, so a
 * redelivered final checkpoint yields the same version and, through the handler's derived id,
 * the same `model.trained` event.
 */
import { type ModelTrained, type TrainingCheckpointed, type TrainingFailed, TrainingRequestedSchema } from '@crucible/contracts';
import { countParams, mergeLora, readCheckpoint, writeAdapters } from '@crucible/engine';
import { LINEAGE_FILE, readModelLineage, writeModelArtifact } from '@crucible/model-artifact';
import { LOGGER, type Logger } from '@crucible/service-kit';
import { readManifest } from '@crucible/shards';
import { loadTokenizer } from '@crucible/tokenizer';
import { Inject, Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { resolveDataset } from '../datasets/resolve-dataset';
import { TRAINING_OPTIONS, type TrainingOptions } from '../training.options';

/** Prompt-tuned versions keep their virtual tokens beside the (unchanged) base weights. */
export const PROMPT_ADAPTER_DIR = 'prompt-adapter';

export const modelDir = (dataDir: string, model: string, n: number): string => join(dataDir, 'models', model, String(n));

@Injectable()
export class CompleteRunService {
  constructor(
    @Inject(TRAINING_OPTIONS) private readonly options: TrainingOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Records that the run's final checkpoint could not become a version; the `training.failed` to announce, if the run was ours and still open. */
  async failRun(checkpoint: TrainingCheckpointed, error: unknown): Promise<TrainingFailed | undefined> {
    const run = await this.options.registry.runs.get(checkpoint.runId);
    if (!run || run.status !== 'running') return undefined;
    const code = (error as { code?: unknown }).code;
    const reason = `completion failed${typeof code === 'string' ? ` (${code})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
    await this.options.registry.runs.update(run.runId, { status: 'failed', error: reason });
    this.logger.error({ runId: run.runId, err: error }, 'could not make a model version from the final checkpoint');
    return { runId: run.runId, reason, retriable: false, attempt: run.attempt, lastCheckpoint: checkpoint.path };
  }

  /** The `model.trained` payload of a final checkpoint; undefined when there is nothing to complete. */
  async complete(checkpoint: TrainingCheckpointed): Promise<ModelTrained | undefined> {
    if (!checkpoint.final) return undefined;
    const { registry } = this.options;
    const run = await registry.runs.get(checkpoint.runId);
    // Topics are shared: another deployment's runs are not ours to complete.
    if (!run) return void this.logger.warn({ runId: checkpoint.runId }, 'final checkpoint of an unknown run; ignored');
    if (run.status === 'cancelled' || run.status === 'failed') {
      return void this.logger.info({ runId: run.runId, status: run.status }, 'final checkpoint of a run that already ended; no version made');
    }
    const request = TrainingRequestedSchema.parse(run.request);
    const dataset = resolveDataset(this.options.catalog, this.options.datasetsDir, run.datasetId);
    const reservation = await registry.models.nextVersion(run.model, run.runId);
    const dir = modelDir(this.options.dataDir, run.model, reservation.n);
    const ck = readCheckpoint(checkpoint.path);
    const parameters = countParams(ck.config);
    const finalLoss = checkpoint.loss ?? ck.state.losses.at(-1);
    const hyperParameters = { ...request.hyperParameters, preset: request.preset, method: request.method, engine: ck.state.hyper };
    const written = existsSync(join(dir, LINEAGE_FILE)) && readModelLineage(dir).runId === run.runId;
    if (!written) {
      const weights = ck.adapters && ck.state.lora ? mergeLora(ck.config, ck.weights, ck.adapters, ck.state.lora) : ck.weights;
      const manifest = readManifest(dataset.manifestPath);
      // Relative to the manifest's directory as tokenization writes it; an absolute path is taken as is.
      const tokenizer = await loadTokenizer(resolve(dirname(dataset.manifestPath), manifest.tokenizer.path));
      await writeModelArtifact(dir, {
        config: ck.config,
        weights,
        tokenizer,
        lineage: {
          versionId: reservation.id,
          model: run.model,
          runId: run.runId,
          datasetId: dataset.datasetId,
          manifestPath: dataset.manifestPath,
          manifestSha256: dataset.manifestSha256,
          tokenizerId: dataset.tokenizerId,
          codeVersion: this.options.codeVersion,
          hyperParameters,
          parameters,
          ...(finalLoss !== undefined && { finalLoss }),
          ...(checkpoint.validationLoss !== undefined && { validationLoss: checkpoint.validationLoss }),
        },
      });
      if (ck.adapters && ck.state.promptTokens) writeAdapters(join(dir, PROMPT_ADAPTER_DIR), { promptTokens: ck.state.promptTokens }, ck.adapters);
    }
    const lineage = readModelLineage(dir);
    const version = await registry.models.registerVersion({
      model: run.model,
      runId: run.runId,
      datasetId: dataset.datasetId,
      datasetSha256: dataset.manifestSha256,
      tokenizerId: dataset.tokenizerId,
      codeVersion: lineage.codeVersion,
      hyperParameters: lineage.hyperParameters,
      artifactPath: dir,
      parameters,
      metrics: {
        ...(lineage.finalLoss !== undefined && { finalLoss: lineage.finalLoss }),
        ...(lineage.validationLoss !== undefined && { validationLoss: lineage.validationLoss }),
      },
    });
    await registry.runs.update(run.runId, {
      status: 'succeeded',
      modelVersionId: version.id,
      step: checkpoint.step,
      ...(lineage.finalLoss !== undefined && { finalLoss: lineage.finalLoss }),
    });
    this.logger.info({ runId: run.runId, modelVersionId: version.id, artifactPath: dir }, 'model version registered');
    return {
      modelVersionId: version.id,
      model: run.model,
      runId: run.runId,
      datasetId: dataset.datasetId,
      tokenizerId: dataset.tokenizerId,
      artifactPath: dir,
      finalLoss: lineage.finalLoss ?? 0,
      ...(lineage.validationLoss !== undefined && { validationLoss: lineage.validationLoss }),
      parameters,
    };
  }
}
