/**
 * `GET /v1/safety-reports/:ref` — the latest safety report of a model version; `ref` is any
 * model reference (`sotu@3`, `sotu:challenger`, `sotu` = the champion).
 * 200 `{ versionId, sequence, createdAt, verdict, metrics, report }` · 404 unknown version or
 * not safety-tested yet · 422 malformed reference.
 */
import { RegistryError } from '@crucible/registry';
import { Controller, Get, Inject, Param, UseFilters } from '@nestjs/common';
import { SafetyError } from '../safety.errors';
import { SAFETY_OPTIONS, type SafetyOptions } from '../safety.options';
import { SafetyReportsHttpErrorFilter } from './http-error.filter';

@Controller('v1/safety-reports')
@UseFilters(SafetyReportsHttpErrorFilter)
export class SafetyReportsHttpController {
  constructor(@Inject(SAFETY_OPTIONS) private readonly options: SafetyOptions) {}

  @Get(':ref')
  async get(@Param('ref') ref: string) {
    const { registry } = this.options;
    const version = await registry.models.resolve(ref);
    if (!version) throw new RegistryError('unknown_model_version', `no model version matches '${ref}'`);
    const report = await registry.reports.get(version.id, 'safety');
    if (!report) throw new SafetyError('safety_report_not_found', `model version ${version.id} has not been safety-tested yet`);
    return { versionId: version.id, sequence: report.sequence, createdAt: report.createdAt, verdict: report.verdict, metrics: report.metrics, report: report.report };
  }
}
