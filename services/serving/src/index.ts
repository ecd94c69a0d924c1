export { ServingModule } from './serving.module';
export { SERVING_OPTIONS, type ServingOptions } from './serving.options';
export { ServingSettingsSchema, type ServingSettings, type ServingSettingsInput } from './serving.settings';
export { openServing, type OpenServingInput } from './open-serving';
export { ServingRuntime } from './serving-runtime';
export { ServingServiceConfigSchema, loadServingServiceConfig, settingsFromConfig } from './config';
export { ApiKeyStore, resolvePepper, hashKey, KEY_PREFIX, type ApiKey } from './auth/api-keys';
export { SERVING_GROUP } from './release/model-approved.consumer';
export { openApiDocument } from './openai/openapi';
