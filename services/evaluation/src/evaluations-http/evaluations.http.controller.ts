/**
 * `GET /v1/evaluations/:ref` — the latest evaluation report of a model version; `ref` is any
 * model reference (`sotu@3`, `sotu:challenger`, `sotu` = the champion).
 * 200 `{ versionId, sequence, createdAt, verdict, metrics, report }` · 404 unknown version or no
 * evaluation yet · 422 malformed reference.
 */
import { RegistryError } from '@crucible/registry';
import { Controller, Get, Inject, Param, UseFilters } from '@nestjs/common';
import { EvaluationError } from '../evaluation.errors';
import { EVALUATION_OPTIONS, type EvaluationOptions } from '../evaluation.options';
import { EvaluationsHttpErrorFilter } from './http-error.filter';

@Controller('v1/evaluations')
@UseFilters(EvaluationsHttpErrorFilter)
export class EvaluationsHttpController {
  constructor(@Inject(EVALUATION_OPTIONS) private readonly options: EvaluationOptions) {}

  @Get(':ref')
  async get(@Param('ref') ref: string) {
    const { registry } = this.options;
    const version = await registry.models.resolve(ref);
    if (!version) throw new RegistryError('unknown_model_version', `no model version matches '${ref}'`);
    const report = await registry.reports.get(version.id, 'evaluation');
    if (!report) throw new EvaluationError('evaluation_not_found', `model version ${version.id} has no evaluation yet`);
    return { versionId: version.id, sequence: report.sequence, createdAt: report.createdAt, verdict: report.verdict, metrics: report.metrics, report: report.report };
  }
}
