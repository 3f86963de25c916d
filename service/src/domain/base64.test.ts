/**
 * The base64 decoder against CPython's own `binascii.a2b_base64` (what ngshare runs), on
 * seeded random texts: mostly clean base64, one line or MIME lines (the fast path), with stray characters Node would
 * read differently (`-`, `_`, spaces, `=` inside, non-ASCII), fed in random pieces.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Base64Decoder, encodeBase64Mime } from './base64';
import { rng } from '../test-support/seeded-random';

const STRAYS = ['-', '_', ' ', '\n', '=', '==', '!', 'é', '\u0100', '\r\n'];

function texts(count: number, seed: number): string[] {
  const random = rng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  return Array.from({ length: count }, (_, k) => {
    const data = randomBytes(Math.floor(random() * 300));
    // half as one line, half as base64.encodebytes writes it: 76-character lines
    const clean = k % 8 < 4 ? data.toString('base64') : encodeBase64Mime(data);
    if (k % 4 === 0) {
      return clean; // untouched, padding included
    }
    let text = k % 4 === 1 ? clean.replace(/=+$/, '') : clean;
    const strays = 1 + Math.floor(random() * 3);
    for (let s = 0; s < strays; s++) {
      const at = Math.floor(random() * (text.length + 1));
      text = text.slice(0, at) + pick(STRAYS) + text.slice(at);
    }
    return text;
  });
}

/** What CPython answers for each text: the bytes in hex, or null where it raises. */
function cpython(inputs: string[]): Array<string | null> {
  const script = `
import binascii, json, sys
out = []
for t in json.load(sys.stdin):
    try:
        out.append(binascii.a2b_base64(t.encode('utf-8')).hex())
    except binascii.Error:
        out.append(None)
json.dump(out, sys.stdout)`;
  return JSON.parse(
    execFileSync('python3', ['-c', script], { input: JSON.stringify(inputs) }).toString()
  );
}

function decodeInPieces(text: string, random: () => number): string | null {
  const parts: Buffer[] = [];
  const decoder = new Base64Decoder(bytes => parts.push(bytes));
  for (let i = 0; i < text.length;) {
    const size = 1 + Math.floor(random() * (random() < 0.5 ? 8 : 200));
    decoder.write(text.slice(i, i + size));
    i += size;
  }
  return decoder.end() ? Buffer.concat(parts).toString('hex') : null;
}

describe('base64 decoding as CPython binascii does it', () => {
  it('agrees with python3 on 2,000 seeded texts, whole and in random pieces', () => {
    const inputs = texts(2000, 1234);
    const expected = cpython(inputs);
    const random = rng(99);
    let raised = 0;
    inputs.forEach((text, k) => {
      if (expected[k] === null) {
        raised++;
      }
      const whole = decodeInPieces(text, () => 1); // one piece
      expect({ text, got: whole }).toEqual({ text, got: expected[k] });
      expect({ text, got: decodeInPieces(text, random) }).toEqual({ text, got: expected[k] });
    });
    expect(raised).toBeGreaterThan(50); // the incomplete-quad error was exercised
  });

  it('decodes a MIME-encoded megabyte back to its bytes', () => {
    const data = randomBytes(1024 * 1024 + 7);
    const parts: Buffer[] = [];
    const decoder = new Base64Decoder(bytes => parts.push(bytes));
    decoder.write(encodeBase64Mime(data));
    expect(decoder.end()).toBe(true);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  });
});
