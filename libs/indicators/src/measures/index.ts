export * from './measure-registry';
