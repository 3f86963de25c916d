/** The benchmark starts the service with the launcher's memory settings, no other. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_FLAGS, RUNTIME_ENV } from './runtime-tuning';

const LAUNCHER = path.join(__dirname, '..', '..', '..', 'ngshare_ts', '_launcher.py');

/** A Python literal of the launcher (a dict or list of strings) as JSON. */
function pythonLiteral(name: string): unknown {
  const source = readFileSync(LAUNCHER, 'utf8');
  const match = new RegExp(`^${name} = (.+)$`, 'm').exec(source);
  if (!match) {
    throw new Error(`${name} not found in ${LAUNCHER}`);
  }
  return JSON.parse(match[1]);
}

describe('runtime tuning', () => {
  it('matches the pip launcher', () => {
    expect(pythonLiteral('RUNTIME_ENV')).toEqual(RUNTIME_ENV);
    expect(pythonLiteral('NODE_FLAGS')).toEqual(NODE_FLAGS);
  });
});
