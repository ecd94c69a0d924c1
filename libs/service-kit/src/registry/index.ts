export { RegistryQueryModule } from './registry-query.module';
export { RegistryQueryController } from './registry-query.controller';
export { REGISTRY } from './registry.token';
