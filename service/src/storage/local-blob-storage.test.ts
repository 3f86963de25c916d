/** The folder storage's staged writes: nothing visible before commit, prepare ahead of it. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStorage } from './local-blob-storage';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('LocalBlobStorage staged writes', () => {
  let dir: string;
  let blobs: LocalBlobStorage;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ngshare-local-blobs-'));
    blobs = new LocalBlobStorage(dir);
    await blobs.init();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function staged(data: Buffer) {
    const writer = await blobs.createWriter();
    await writer.write(data.subarray(0, 3));
    await writer.write(data.subarray(3));
    return writer.finish(sha(data));
  }

  it('publishes nothing at prepare, everything at commit', async () => {
    const data = Buffer.from('prepared bytes');
    const blob = await staged(data);
    await blob.prepare!();
    await blob.prepare!();
    expect(await blobs.has(sha(data))).toBe(false);
    await blob.commit();
    expect(await blobs.read(sha(data))).toEqual(data);
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('commits without prepare, and prepare after commit or discard is harmless', async () => {
    const one = Buffer.from('committed directly');
    const a = await staged(one);
    await a.commit();
    await a.prepare!();
    expect(await blobs.read(sha(one))).toEqual(one);

    const two = Buffer.from('dropped');
    const b = await staged(two);
    await b.discard();
    await b.prepare!();
    await b.commit();
    expect(await blobs.has(sha(two))).toBe(false);
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });
});
