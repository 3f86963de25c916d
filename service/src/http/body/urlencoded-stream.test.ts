/**
 * The streaming urlencoded parser against the WHATWG parser (URLSearchParams)
 * as the oracle: same pairs for any valid UTF-8 body cut into any chunks.
 */
import { UrlencodedParser, type StreamedField } from './urlencoded-stream';
import { rng } from '../../test-support/seeded-random';

/** Parses `body` in `chunks`; the field `stream` (if any) goes through the streaming path. */
function parse(body: Buffer, cuts: number[], stream?: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let streamed: { name: string; text: string } | undefined;
  const parser = new UrlencodedParser({
    stream: name => {
      if (name !== stream) {
        return undefined;
      }
      streamed = { name, text: '' };
      pairs.push([name, '']);
      const index = pairs.length - 1;
      const sink: StreamedField = {
        write: text => {
          streamed!.text += text;
          pairs[index] = [name, streamed!.text];
        }
      };
      return sink;
    },
    keep: () => true,
    field: (name, value) => pairs.push([name, value]),
    kept: () => undefined,
    invalidText: name => new Error(`invalid ${name}`)
  });
  let from = 0;
  for (const cut of [...cuts, body.length]) {
    parser.write(body.subarray(from, cut));
    from = cut;
  }
  parser.end();
  return pairs;
}

const PIECES = [
  'a',
  'b',
  '=',
  '&',
  '+',
  '%',
  '%2',
  '%41',
  '%2B',
  '%26',
  '%3D',
  '%zz',
  '%C3%A9',
  'é',
  '😀',
  ' ',
  'files',
  '%'
];

/** What URLSearchParams makes of `text`. */
function oracle(text: string): Array<[string, string]> {
  // Node's URLSearchParams mangles a lone `%` before non-ASCII (the spec and Python keep it
  // literal): spell such a `%` as `%25` for the oracle.
  return [...new URLSearchParams(text.replace(/%(?![0-9a-fA-F]{2})/g, '%25'))];
}

/** Up to `most` sorted cut points in a body of `length` bytes. */
function randomCuts(random: () => number, length: number, most: number): number[] {
  return Array.from({ length: Math.floor(random() * most) }, () =>
    Math.floor(random() * length)
  ).sort((x, y) => x - y);
}

describe('streaming urlencoded parser', () => {
  it('matches URLSearchParams on 2,000 random bodies (or refuses bytes that are not UTF-8) in random chunks, streamed or collected', () => {
    const random = rng(9);
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const parts = Math.floor(random() * 12);
      for (let i = 0; i < parts; i++) {
        text += PIECES[Math.floor(random() * PIECES.length)];
      }
      const body = Buffer.from(text);
      const cuts = randomCuts(random, body.length, 4);
      const expected = oracle(text);
      if (expected.some(pair => pair.join('').includes('\ufffd'))) {
        // escapes that spell bytes which are not UTF-8 (`%ab`): refused, not replaced
        expect(() => parse(body, cuts)).toThrow(/invalid/);
        continue;
      }
      expect([text, parse(body, cuts)]).toEqual([text, expected]);
      expect([text, parse(body, cuts, 'files')]).toEqual([text, expected]);
    }
  });

  it('decodes long streamed values of escapes cut anywhere, as URLSearchParams does', () => {
    // what the native path (ASCII, no `+`) takes, with multi-byte characters split by the chunks
    const escapes = ['a', 'Zz09', '%2B', '%2F', '%3D', '%26', '%0A', '%C3%A9', '%E2%82%AC'];
    const rare = ['%F0%9F%98%80', '%25', '%', '%4', '%zz', '+', 'é', '%FF', '%C3', '%80'];
    const random = rng(21);
    for (let n = 0; n < 400; n++) {
      let value = '';
      const parts = 20 + Math.floor(random() * 200);
      for (let i = 0; i < parts; i++) {
        const from = random() < 0.03 ? rare : escapes;
        value += from[Math.floor(random() * from.length)];
      }
      const text = `user=kim&files=${value}${random() < 0.5 ? '&timestamp=1' : ''}`;
      const body = Buffer.from(text);
      const cuts = randomCuts(random, body.length, 12);
      const expected = oracle(text);
      if (expected.some(pair => pair.join('').includes('\ufffd'))) {
        expect(() => parse(body, cuts, 'files')).toThrow(/invalid/);
        continue;
      }
      expect([text, cuts, parse(body, cuts, 'files')]).toEqual([text, cuts, expected]);
    }
  });

  it('refuses values that are not UTF-8 instead of replacing them, streamed or collected', () => {
    for (const body of [
      'a=%ED%A0%80',
      'a=%FF',
      'files=%C3',
      'files=ok%80',
      '%FF=x',
      'files=%ED%A0%80',
      'files=%C0%80',
      'files=%F0%9F%98'
    ]) {
      expect(() => parse(Buffer.from(body), [], 'files')).toThrow(/invalid/);
    }
    // a multi-byte character cut across chunks is fine
    expect(parse(Buffer.from('files=%C3%A9x'), [8, 10], 'files')).toEqual([['files', 'éx']]);
    expect(parse(Buffer.from('files=é'), [7], 'files')).toEqual([['files', 'é']]);
  });

  it('skips the bytes of a field nobody keeps', () => {
    const seen: string[] = [];
    const parser = new UrlencodedParser({
      stream: () => undefined,
      keep: name => name !== 'files',
      field: (name, value) => seen.push(`${name}=${value}`),
      kept: () => undefined,
      invalidText: () => new Error('invalid')
    });
    parser.write(Buffer.from('user=kim&files=%FF%FF' + 'x'.repeat(1000) + '&timestamp=1'));
    parser.end();
    expect(seen).toEqual(['user=kim', 'timestamp=1']);
  });
});
