export * from './source-declaration';
export * from './registry';
export * from './country-codes';
export * from './validate-record';
export * from './json-schema';
export * from './anonymize';
export * from '../indicator-ids';
