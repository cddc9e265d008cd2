export * from './region';
export * from './county';
export { MUNICIPALITIES } from './municipalities.data';
