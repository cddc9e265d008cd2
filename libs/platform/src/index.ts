export * from './logging';
export * from './metrics';
export * from './health';
export * from './problem-details.filter';
export * from './mongo';
export * from './redis';
export * from './platform.module';
export * from './http-service';
