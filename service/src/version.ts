/** The product version: one number for the service, the extension and the pip package. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../package.json').version;
export const PRODUCT = 'ngshare-ts';
/** The project's home (source, issues, docs); also in pyproject.toml and the Helm chart. */
export const PROJECT_URL = 'https://github.com/ngshare-ts/ngshare-ts';
export const DOCS_URL = `${PROJECT_URL}/tree/main/docs`;
