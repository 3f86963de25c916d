export * from './task';
export * from './timestamps';
export * from './csv';
export * from './assignments';
export * from './courses';
export * from './instructor';
export * from './connection';
export * from './i18n';
