/** Public entry of @crucible/safety: the Nest module, its options factory, the suite and its parts. */
export { SafetyModule } from './safety.module';
export { SAFETY_OPTIONS, type SafetyOptions } from './safety.options';
export { openSafety, type OpenSafetyInput } from './open-safety';
export { parseSafetyConfig, SafetyConfigSchema, SafetyGateSchema, type SafetyConfig, type SafetyConfigInput, type SafetyGate } from './safety.config';
export { SafetyTestService, type SafetyOutcome } from './test-model/safety-test.service';
export { SAFETY_GROUP } from './test-model/model-evaluated.consumer';
export { SAFETY_REPORT_FILE, type SafetyReport } from './test-model/safety-report';
export { BUNDLED_PROBES_DIR, GRADERS, loadProbeSets, parseProbeSet, readProbeSet, type ProbeSet } from './probes/probe-file';
export { canaryFor, runSafetySuite, type SuiteInput, type SuiteOutcome } from './suite/run-suite';
export { modelUnderTest, type ModelUnderTest } from './suite/model-under-test';
export type { SuiteProgress, SuiteResult } from './suite/suite-result';
export { decideSafetyVerdict, categoryCounts } from './gate/gate';
export { SafetyError, ProbeFileError, type SafetyErrorCode } from './safety.errors';
export { SafetyServiceConfigSchema, loadSafetyServiceConfig } from './config';
