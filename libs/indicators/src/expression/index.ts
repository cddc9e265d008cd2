export * from './ast';
export * from './lexer';
export * from './parser';
export * from './compile';
export * from './evaluate';
