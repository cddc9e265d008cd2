export * from './key-ring';
export * from './record-sealer';
export * from './pseudonymizer';
export * from './record-key';
export * from './generalization';
export * from './suppression';
export * from './k-anonymity';
export * from './secret-strength';
