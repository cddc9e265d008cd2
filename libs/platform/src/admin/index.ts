export * from './admin.module';
export * from './admin.options';
export { REPLAY_STATUS_SCHEMA } from './admin.openapi';
