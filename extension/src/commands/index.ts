export * from './student';
export * from './instructor';
export * from './courses';
