import { DynamicModule, Module } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { loadEnvironment } from './load-environment';

/**
 * Provides the validated environment under its own class as the injection token, so a service writes
 * `constructor(private readonly env: PublicationEnvironment)`. Validation runs once at start; a bad
 * value stops the service with a ConfigurationError naming the variable.
 */
@Module({})
export class EnvironmentModule {
  static forRoot<T extends object>(schema: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: EnvironmentModule,
      global: true,
      providers: [{ provide: schema, useFactory: () => loadEnvironment(schema, env) }],
      exports: [schema],
    };
  }
}
