export * from './openapi-document';
export * from './problem-responses';
