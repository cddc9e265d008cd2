export * from './replay-plan';
export * from './consumer-group-admin';
export * from './topic-reader';
export * from './dead-letter-admin';
export * from './replay-coordinator';
