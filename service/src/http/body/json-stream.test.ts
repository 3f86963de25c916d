import { randomBytes } from 'node:crypto';
import { encodeBase64Mime } from '../../domain/base64';
import { EncodedContent } from '../../domain/encoded-content';
import { jsonAnswer } from './json-stream';

const PIECE = 57 * 16 * 1024;

async function collect(answer: Record<string, unknown>): Promise<{ text: string; length: number }> {
  const streamed = jsonAnswer(answer);
  if (!streamed) {
    throw new Error('not streamed');
  }
  const parts: Buffer[] = [];
  for await (const chunk of streamed.stream) {
    parts.push(Buffer.from(chunk as Buffer));
  }
  const text = Buffer.concat(parts).toString('utf8');
  expect(Buffer.byteLength(text)).toBe(streamed.length);
  return { text, length: streamed.length };
}

describe('streamed JSON answers with file contents', () => {
  const sizes = [0, 1, 2, 3, 56, 57, 58, 76, 1000, PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 17];
  // lazy: encoded as written; eager and reused: the kept encoding of a small file
  const kinds = {
    lazy: EncodedContent.lazy,
    eager: EncodedContent.eager,
    reused: (data: Buffer) => EncodedContent.reuse(EncodedContent.eager(data).encoded!)
  };
  it.each(sizes.flatMap(size => Object.keys(kinds).map(kind => [size, kind] as const)))(
    'are byte for byte what JSON.stringify gives, for %d bytes encoded %s',
    async (size, kind) => {
      const encode = kinds[kind as keyof typeof kinds];
      const data = randomBytes(size);
      const answer = {
        success: true,
        files: [
          { path: 'a/ü "quoted".ipynb', checksum: 'abc', content: encode(data) },
          { path: 'b.txt', checksum: 'def', content: encode(Buffer.from('hi')) }
        ],
        timestamp: '2026-12-06 12:00:00.000000'
      };
      const plain = JSON.stringify({
        success: true,
        files: [
          { path: 'a/ü "quoted".ipynb', checksum: 'abc', content: encodeBase64Mime(data) },
          { path: 'b.txt', checksum: 'def', content: encodeBase64Mime(Buffer.from('hi')) }
        ],
        timestamp: '2026-12-06 12:00:00.000000'
      });
      const { text } = await collect(answer);
      expect(text).toBe(plain);
      expect(JSON.stringify(answer)).toBe(plain);
    }
  );

  it('leaves answers without contents to Koa', () => {
    expect(jsonAnswer({ success: true, files: [{ path: 'a', checksum: 'b' }] })).toBeUndefined();
  });
});
