export * from './spell';
export * from './normalize';
export * from './region-series';
export * from './family-store';
export * from './contribution';
export * from './change-set';
export * from './counting-engine';
export * from './indicator-engine';
