export * from './topics';
export * from './kpi-value';
export * from './lake-record';
export * from './sources';
export * from './content-hash';
export * from './csv';
