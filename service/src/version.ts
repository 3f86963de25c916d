/** The product version: one number for the service, the extension and the pip package. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../package.json').version;
export const PRODUCT = 'ngshare-ts';
