export * from './problems';
export * from './time';
