export * from './openapi-document';
export * from './problem-responses';
export * from './shared-responses';
export * from './component-schemas';
