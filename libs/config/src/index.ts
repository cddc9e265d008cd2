export * from './load-environment';
export * from './environment-schemas';
export * from './config.module';
