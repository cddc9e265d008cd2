export * from './day';
export * from './period';
export * from './age';
export * from './spell';
