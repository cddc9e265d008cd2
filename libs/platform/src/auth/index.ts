export * from './api-tokens';
export * from './authorization';
export * from './auth.module';
