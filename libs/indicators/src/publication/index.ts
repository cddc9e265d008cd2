export * from './comparison-values';
export * from './publish-values';
export * from './social-index';
