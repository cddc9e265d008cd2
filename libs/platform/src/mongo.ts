import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule, type HealthIndicatorResult } from '@nestjs/terminus';
import { MongoEnvironment } from '@sozialmonitor/config';
import mongoose, { type Connection } from 'mongoose';

export const MONGO_CONNECTION = Symbol('MONGO_CONNECTION');

/**
 * One mongoose connection per service. Repositories (one class per collection) are the only code that
 * uses it. Production runs MongoDB, development and CI FerretDB v1: no transactions, no change streams,
 * no TTL/partial indexes, aggregation limited to $match/$group/$project/$sort/$limit/$skip/$unwind.
 */
export async function connectMongo(url: string): Promise<Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5000,
    // Fail fast instead of queueing commands for minutes when the server is down.
    bufferCommands: false,
    autoIndex: true,
  });
  return connection.asPromise();
}

@Injectable()
export class MongoHealthIndicator implements OnApplicationShutdown {
  constructor(
    @Inject(MONGO_CONNECTION) private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'mongodb', timeoutMs = 2000): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      await Promise.race([
        this.connection.db!.admin().ping(),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
        ),
      ]);
      return indicator.up();
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close().catch(() => undefined); // shutting down: a connection that fails to close is dropped with the process
  }
}

@Global()
@Module({})
export class MongoModule {
  static forRoot(environment: new (...a: never[]) => MongoEnvironment): DynamicModule {
    return {
      module: MongoModule,
      imports: [TerminusModule],
      providers: [
        {
          provide: MONGO_CONNECTION,
          inject: [environment],
          useFactory: async (env: MongoEnvironment) => {
            const connection = await connectMongo(env.MONGO_URL);
            new Logger('MongoModule').log(`connected to ${connection.host}:${connection.port}/${connection.name}`);
            return connection;
          },
        },
        MongoHealthIndicator,
      ],
      exports: [MONGO_CONNECTION, MongoHealthIndicator],
    };
  }
}
