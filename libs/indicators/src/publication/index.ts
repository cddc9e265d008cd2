export * from './comparison-values';
export * from './publish-values';
