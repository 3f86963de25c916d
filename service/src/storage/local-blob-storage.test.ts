/** The folder storage's staged writes: nothing visible before commit, the staged copy kept until discard. */
import { createHash } from 'node:crypto';
import { mkdtempSync, promises as fs, readdirSync, rmSync } from 'node:fs';
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

  it('publishes at commit, keeps the staged copy until discard, and publishes again', async () => {
    const data = Buffer.from('committed bytes');
    const blob = await staged(data);
    expect(await blobs.has(sha(data))).toBe(false);
    await blob.commit();
    expect(await blobs.read(sha(data))).toEqual(data);
    expect(readdirSync(path.join(dir, 'tmp'))).toHaveLength(1);
    await blob.commit(); // stored already: harmless
    // the collector removed the stored copy between two checks: publish it again
    await blobs.remove(sha(data));
    await blob.commit();
    expect(await blobs.read(sha(data))).toEqual(data);
    await blob.discard();
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(await blobs.read(sha(data))).toEqual(data);
  });

  it('publishes nothing after discard', async () => {
    const data = Buffer.from('dropped');
    const blob = await staged(data);
    await blob.discard();
    await blob.commit();
    expect(await blobs.has(sha(data))).toBe(false);
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  /** link(2) failing with `code`, for a stand-in file system. */
  const failingLink = (message: string, code: string) =>
    jest.spyOn(fs, 'link').mockRejectedValue(Object.assign(new Error(message), { code }));

  it('publishes a synced copy where the file system has no hard links', async () => {
    const link = failingLink('no links here', 'EPERM');
    try {
      const data = Buffer.from('copied, not linked');
      const blob = await staged(data);
      await blob.commit();
      expect(link).toHaveBeenCalled();
      expect(await blobs.read(sha(data))).toEqual(data);
      await blob.discard();
      expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
      expect(await blobs.read(sha(data))).toEqual(data);
    } finally {
      link.mockRestore();
    }
  });

  it('fails a commit on any other link error, publishing nothing', async () => {
    const link = failingLink('disk full', 'ENOSPC');
    try {
      const data = Buffer.from('not stored');
      const blob = await staged(data);
      await expect(blob.commit()).rejects.toThrow('disk full');
      expect(await blobs.has(sha(data))).toBe(false);
      await blob.discard();
    } finally {
      link.mockRestore();
    }
  });
  it('commits through the open file when the commit follows at once (soon)', async () => {
    const data = Buffer.from('staged and committed in one go');
    const writer = await blobs.createWriter();
    await writer.write(data);
    const blob = await writer.finish(sha(data), true);
    await blob.commit();
    expect(await blobs.read(sha(data))).toEqual(data);
    await blob.discard();
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('makes the staging folder and the hash folders again when they are gone', async () => {
    const data = Buffer.from('after a clean-up');
    rmSync(path.join(dir, 'tmp'), { recursive: true });
    rmSync(path.join(dir, 'blobs'), { recursive: true });
    const blob = await staged(data);
    await blob.commit();
    await blob.discard();
    expect(await blobs.read(sha(data))).toEqual(data);
  });
});
