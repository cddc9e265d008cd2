export * from './indicator-definition';
export * from './catalogue-validation';
export * from './catalogue';
export * from './catalogue-history';
