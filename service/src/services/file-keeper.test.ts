/**
 * FileKeeper.storeWith publishes new bytes before its transaction: a collection that removes
 * them before the transaction's check is undone inside it, and a transaction that fails leaves
 * its bytes to the collector instead of on disk forever. On each engine × storage pair.
 */
import { createHash, randomBytes } from 'node:crypto';
import { inMemoryFile, type UploadedFile } from '../domain/file-tree';
import {
  backends,
  startTestService,
  storedHashes,
  type TestService
} from '../test-support/harness';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(backends())('FileKeeper.storeWith on %s with %s storage', (engine, storage) => {
  let svc: TestService;
  let coursePk: number;
  beforeAll(async () => {
    svc = await startTestService({ engine, storage, gcGraceMs: 0 });
    coursePk = (await svc.exchange.store.createCourse('fk')).pk;
  });
  afterAll(() => svc.close());

  /** A file as the upload decoder hands it over when it streamed to storage. */
  async function streamed(path: string, data: Buffer): Promise<UploadedFile> {
    const writer = await svc.blobs.createWriter();
    await writer.write(data);
    const { md5, size } = inMemoryFile(path, data);
    return { path, md5, size, sha256: sha256(data), staged: await writer.finish(sha256(data)) };
  }

  const release = (id: string, files: UploadedFile[], before?: () => Promise<void>) =>
    svc.exchange.files.storeWith(svc.exchange.store, files, async (tx, attach) => {
      await before?.();
      const a = await tx.createAssignment(coursePk, id);
      await attach({ kind: 'assignment', pk: a.pk });
      return a;
    });

  it('publishes again what was collected between its publication and the transaction', async () => {
    const kept = randomBytes(300);
    const streamedBytes = randomBytes(300);
    const files = [inMemoryFile('a', kept), await streamed('b', streamedBytes)];
    // the collector's removal, after the publication and before the check
    await release('republished', files, async () => {
      expect(await svc.blobs.has(sha256(kept))).toBe(true);
      await svc.blobs.remove(sha256(kept));
      await svc.blobs.remove(sha256(streamedBytes));
    });
    expect(await svc.blobs.read(sha256(kept))).toEqual(kept);
    expect(await svc.blobs.read(sha256(streamedBytes))).toEqual(streamedBytes);
    await svc.exchange.files.collectGarbage(svc.exchange.store);
    expect(await svc.blobs.has(sha256(kept))).toBe(true); // referenced: kept
  });

  it('leaves the bytes of a failed transaction to the collector', async () => {
    const lost = randomBytes(300);
    const lostStreamed = randomBytes(300);
    const files = [inMemoryFile('a', lost), await streamed('b', lostStreamed)];
    await expect(
      release('refused', files, async () => {
        throw new Error('refused inside the transaction');
      })
    ).rejects.toThrow('refused inside the transaction');
    const rows = await svc.knex('blobs').whereIn('sha256', [sha256(lost), sha256(lostStreamed)]);
    expect(rows).toHaveLength(2);
    expect(await svc.knex('assignments').where({ id: 'refused' })).toEqual([]);
    await new Promise(resolve => setTimeout(resolve, 5)); // older than the grace period of 0
    await svc.exchange.files.collectGarbage(svc.exchange.store);
    const left = await storedHashes(svc.blobs);
    expect(left).not.toContain(sha256(lost));
    expect(left).not.toContain(sha256(lostStreamed));
    expect(await svc.knex('blobs').whereIn('sha256', [sha256(lost)])).toEqual([]);
  });

  it('keeps bytes another upload reuses when a failed one disowns them', async () => {
    const shared = randomBytes(300);
    await release('owner', [inMemoryFile('s', shared)]);
    await expect(
      release('refused-shared', [inMemoryFile('s', shared)], async () => {
        throw new Error('refused');
      })
    ).rejects.toThrow('refused');
    await svc.exchange.files.collectGarbage(svc.exchange.store);
    expect(await svc.blobs.read(sha256(shared))).toEqual(shared);
  });
  it('looks only at the hashes it is given, and at everything without them', async () => {
    const first = randomBytes(300);
    const second = randomBytes(300);
    for (const [id, data] of [
      ['gc-a', first],
      ['gc-b', second]
    ] as const) {
      await expect(
        release(id, [inMemoryFile('x', data)], async () => {
          throw new Error('refused');
        })
      ).rejects.toThrow('refused');
    }
    await new Promise(resolve => setTimeout(resolve, 5)); // older than the grace period of 0
    const { files, store } = svc.exchange;
    expect(await files.collectGarbage(store, [])).toBe(0);
    expect(await files.collectGarbage(store, [sha256(first)])).toBe(1);
    let left = await storedHashes(svc.blobs);
    expect(left).not.toContain(sha256(first));
    expect(left).toContain(sha256(second));
    await files.collectGarbage(store);
    left = await storedHashes(svc.blobs);
    expect(left).not.toContain(sha256(second));
  });
  it('keeps the encodings of releases only: a submission or feedback is read each time', async () => {
    const data = randomBytes(300);
    await release('encodings', [inMemoryFile('nb', data)]);
    const stored = [{ path: 'nb', md5: 'm', sha256: sha256(data), size: data.length }];
    const read = jest.spyOn(svc.blobs, 'read');
    try {
      const { files } = svc.exchange;
      for (let i = 0; i < 2; i++) {
        const [entry] = await files.render(stored, false);
        expect(Buffer.from(entry.content!.toJSON(), 'base64')).toEqual(data);
      }
      expect(read).toHaveBeenCalledTimes(2);
      await files.render(stored, false, true);
      await files.render(stored, false, true);
      await files.render(stored, false);
      expect(read).toHaveBeenCalledTimes(3);
    } finally {
      read.mockRestore();
    }
  });
});
