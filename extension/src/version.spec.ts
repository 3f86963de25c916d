import { EXTENSION_VERSION } from './version';

it('EXTENSION_VERSION matches package.json (one version for everything)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../package.json') as { version: string };
  expect(EXTENSION_VERSION).toBe(pkg.version);
});
