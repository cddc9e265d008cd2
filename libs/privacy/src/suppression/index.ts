export * from './primary-suppression';
export * from './secondary-suppression';
export * from './published-form';
