export * from './paths';
export * from './base64';
export * from './contents';
export * from './pool';
