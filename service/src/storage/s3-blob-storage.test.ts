/**
 * The S3 backend against the real S3 server of the test run (SeaweedFS,
 * NGSHARE_TEST_S3_URL): nothing is visible before commit, large uploads are
 * staged on disk and sent in parts, a mangled object is refused on read, and
 * a wrong bucket, endpoint or key is one clear reason. Parsing and the
 * messages are checked without a server.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { openBlobStorage, StorageUnavailable } from './open-blob-storage';
import { createS3Client, explainS3Error, parseS3Url, S3BlobStorage } from './s3-blob-storage';
import { createTestBucket, storedHashes, testS3Settings } from '../test-support/harness';

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('s3:// locations', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['s3://bucket/', { bucket: 'bucket', prefix: '' }],
    ['s3://my.bucket-1/a/b/', { bucket: 'my.bucket-1', prefix: 'a/b/' }],
    ['s3://bucket//ngshare', { bucket: 'bucket', prefix: 'ngshare/' }]
  ])('%s', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it.each(['s3://', 's3://UPPER', 's3://a', 's3:///prefix', 'http://bucket'])(
    '%s is refused with a message naming the flag',
    url => {
      expect(() => parseS3Url(url)).toThrow(/--storage .*s3:\/\/BUCKET/);
    }
  );

  it('explains the usual failures in words', () => {
    expect(explainS3Error({ name: 'NoSuchBucket' }, '')).toBe('the bucket does not exist');
    expect(explainS3Error({ name: 'InvalidAccessKeyId' }, '')).toMatch(/^access denied/);
    expect(explainS3Error({ $metadata: { httpStatusCode: 403 } }, '')).toMatch(/^access denied/);
    expect(explainS3Error({ name: 'CredentialsProviderError' }, '')).toMatch(/no credentials/);
    expect(explainS3Error({ code: 'ENOTFOUND' }, 'http://s3.invalid')).toBe(
      'cannot reach the endpoint http://s3.invalid (ENOTFOUND)'
    );
  });
});

const s3 = process.env.NGSHARE_TEST_S3_URL ? describe : describe.skip;

s3('S3 blob storage on a real server', () => {
  let bucket: Awaited<ReturnType<typeof createTestBucket>>;
  let staging: string;
  let store: S3BlobStorage;
  const client = () => createS3Client(testS3Settings());

  beforeAll(async () => {
    bucket = await createTestBucket();
    staging = mkdtempSync(path.join(tmpdir(), 'ngshare-s3-staging-'));
    store = new S3BlobStorage(client(), { bucket: bucket.bucket, prefix: 'p/' }, staging);
    await store.init();
  });
  afterAll(async () => {
    await bucket.drop();
    rmSync(staging, { recursive: true, force: true });
  });

  const put = async (data: Buffer, chunk = 64 * 1024) => {
    const writer = await store.createWriter();
    for (let i = 0; i < data.length; i += chunk) {
      await writer.write(data.subarray(i, i + chunk));
    }
    return writer.finish(sha(data));
  };

  it('publishes bytes only on commit, then reads them back', async () => {
    const data = Buffer.from('a small notebook');
    const staged = await put(data);
    expect(await store.has(sha(data))).toBe(false);
    await staged.commit();
    expect(await store.has(sha(data))).toBe(true);
    expect(await store.read(sha(data))).toEqual(data);
    expect(await storedHashes(store)).toContain(sha(data));
    await store.remove(sha(data));
    expect(await store.has(sha(data))).toBe(false);
    await store.remove(sha(data)); // idempotent
  });

  it('stages a large upload on disk and sends it in parts (multipart upload)', async () => {
    const data = Buffer.alloc(19 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) {
      data.writeUInt32BE(i, i);
    }
    const staged = await put(data, 1024 * 1024);
    expect(readdirSync(staging).filter(n => n.endsWith('.part'))).toHaveLength(1);
    await staged.commit();
    expect(sha(await store.read(sha(data)))).toBe(sha(data));
    // the staged copy stays until discard, so a collected object can be published again
    expect(readdirSync(staging).filter(n => n.endsWith('.part'))).toHaveLength(1);
    await store.remove(sha(data));
    await staged.commit();
    expect(sha(await store.read(sha(data)))).toBe(sha(data));
    await staged.discard();
    expect(readdirSync(staging).filter(n => n.endsWith('.part'))).toHaveLength(0);
  });

  it('drops discarded uploads without a trace', async () => {
    const data = Buffer.alloc(2 * 1024 * 1024, 7);
    const staged = await put(data);
    await staged.discard();
    await staged.commit(); // after discard: nothing happens
    expect(await store.has(sha(data))).toBe(false);
    expect(readdirSync(staging).filter(n => n.endsWith('.part'))).toHaveLength(0);
  });

  it('refuses to hand out an object whose bytes do not match its hash', async () => {
    const hash = sha(Buffer.from('original'));
    await client().send(
      new PutObjectCommand({
        Bucket: bucket.bucket,
        Key: `p/blobs/${hash.slice(0, 2)}/${hash.slice(2)}`,
        Body: 'tampered'
      })
    );
    await expect(store.read(hash)).rejects.toThrow(/does not match its hash/);
  });

  it('lists by age, sweeps old staging files, and clears only its prefix', async () => {
    const data = Buffer.from('aged');
    await (await put(data)).commit();
    expect([...(await collect(store.listOlderThan(3_600_000)))]).not.toContain(sha(data));
    expect(await collect(store.listOlderThan(-3_600_000))).toContain(sha(data));
    const other = new S3BlobStorage(client(), { bucket: bucket.bucket, prefix: 'q/' }, staging);
    await (await putWith(other, Buffer.from('elsewhere'))).commit();
    const stale = await put(Buffer.alloc(2 * 1024 * 1024, 1));
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(await store.removeStaleStaging(10)).toBeGreaterThanOrEqual(1);
    await stale.discard();
    await store.clear();
    expect(await storedHashes(store)).toEqual([]);
    expect(await storedHashes(other)).toEqual([sha(Buffer.from('elsewhere'))]);
  });

  it('a wrong bucket, endpoint or key stops the start with one reason', async () => {
    const settings = testS3Settings();
    const attempt = (url: string, s = settings) => openBlobStorage(url, s, staging);
    await expect(attempt('s3://ngshare-no-such-bucket')).rejects.toThrow(
      new StorageUnavailable(
        'object storage s3://ngshare-no-such-bucket/: the bucket does not exist'
      )
    );
    await expect(
      attempt(`s3://${bucket.bucket}`, {
        ...settings,
        credentials: { accessKeyId: 'nobody', secretAccessKey: 'wrong' }
      })
    ).rejects.toThrow(/: access denied: check the credentials/);
    await expect(
      attempt(`s3://${bucket.bucket}`, { ...settings, endpoint: 'http://127.0.0.1:9' })
    ).rejects.toThrow(/: cannot reach the endpoint http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/);
  });
});

async function collect(items: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return all;
}

async function putWith(store: S3BlobStorage, data: Buffer) {
  const writer = await store.createWriter();
  await writer.write(data);
  return writer.finish(sha(data));
}
