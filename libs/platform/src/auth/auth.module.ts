import {
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  Global,
  Injectable,
  Module,
  SetMetadata,
  applyDecorators,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { ApiTokensEnvironment } from '@sozialmonitor/config';
import { ApiTokenRegistry } from './api-tokens';
import { acceptedRoles, authorize, describeRoles, type Requirement } from './authorization';
import { ApiProblems } from '../openapi/problem-responses';

const REQUIREMENT = 'sozialmonitor:auth-requirement';

/**
 * Makes the configured `ApiTokenRegistry` injectable. The registry is built once at start from
 * `API_TOKENS` (or `API_TOKENS_FILE`, resolved by the environment loader); a bad value stops the service.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(environment: new (...a: never[]) => ApiTokensEnvironment): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        {
          provide: ApiTokenRegistry,
          inject: [environment],
          useFactory: (env: ApiTokensEnvironment & { NODE_ENV?: string }) => {
            const registry = ApiTokenRegistry.fromJson(env.API_TOKENS, 'API_TOKENS', {
              production: env.NODE_ENV === 'production',
            });
            forgetRawTokens(env);
            return registry;
          },
        },
        RequirementGuard,
      ],
      exports: [ApiTokenRegistry, RequirementGuard],
    };
  }
}

/**
 * api.md: only the tokens' SHA-256 is kept. Once hashed, the raw JSON leaves the validated environment
 * and `process.env` (where a child process, a crash report or a debugger would find it).
 */
export function forgetRawTokens(env: ApiTokensEnvironment, processEnv: NodeJS.ProcessEnv = process.env): void {
  delete env.API_TOKENS;
  delete processEnv.API_TOKENS;
}

/** Checks the requirement set by `@RequireRole` on the handler or its controller. */
@Injectable()
export class RequirementGuard implements CanActivate {
  constructor(
    private readonly registry: ApiTokenRegistry,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<Requirement | undefined>(REQUIREMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requirement) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined>; principal?: unknown }>();
    request.principal = authorize(this.registry, request.headers.authorization, requirement);
    return true;
  }
}

/**
 * A route that needs a role: `@RequireRole('admin')`, or any one of several: `@RequireRole(['admin',
 * 'analyst'])`. The guard throws the 401/403 problem (both documented; the 403 names the accepted roles).
 */
export function RequireRole(role: Requirement['role'], purpose?: string) {
  return applyDecorators(
    SetMetadata(REQUIREMENT, { role, purpose } satisfies Requirement),
    UseGuards(RequirementGuard),
    ApiBearerAuth(),
    ApiProblems({ 401: 'Missing or unknown bearer token', 403: `The token lacks ${describeRoles(acceptedRoles({ role }))}` }),
  );
}
