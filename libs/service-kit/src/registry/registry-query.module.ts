/**
 * Mounts the registry's read-only HTTP API in any service:
 * `imports: [RegistryQueryModule.forRoot(registry)]`. The caller owns the registry and closes it.
 */
import type { Registry } from '@crucible/registry';
import { type DynamicModule, Module } from '@nestjs/common';
import { RegistryQueryController } from './registry-query.controller';
import { REGISTRY } from './registry.token';

@Module({})
export class RegistryQueryModule {
  static forRoot(registry: Registry): DynamicModule {
    return {
      module: RegistryQueryModule,
      controllers: [RegistryQueryController],
      providers: [{ provide: REGISTRY, useValue: registry }],
      exports: [REGISTRY],
    };
  }
}
