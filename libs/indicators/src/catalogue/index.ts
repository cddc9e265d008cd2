export * from './indicator-definition';
export * from './catalogue-validation';
export * from './catalogue';
