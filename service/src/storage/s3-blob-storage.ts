/**
 * BlobStorage on an S3-compatible object store: `<prefix>blobs/ab/cdef…`,
 * the folder backend's layout. An upload is staged on the replica's own disk
 * (or in memory when small) and PUT under its hash only on `commit`, which
 * FileKeeper calls before the database transaction and, should the object
 * have been collected meanwhile, again inside it after the blob row is
 * upserted: a listed file's object always exists, and the collector's row
 * lock orders deletions against reuse exactly as on the folder backend.
 * Objects are never partly visible: S3 publishes a PUT or a completed
 * multipart upload whole.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, constants, promises as fs } from 'node:fs';
import path from 'node:path';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { BlobStorage, BlobWriter } from './blob-storage';

const HASH = /^[0-9a-f]{64}$/;
/** Uploads up to this size stay in memory; larger ones go to a staging file as they arrive. */
const IN_MEMORY_LIMIT = 1024 * 1024;

export interface S3Location {
  bucket: string;
  /** Empty, or ends with `/`. */
  prefix: string;
}

/** `s3://BUCKET[/PREFIX]` → bucket and key prefix; throws one clear Error. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1])) {
    throw new Error(
      `--storage ${url}: an S3 location is s3://BUCKET or s3://BUCKET/PREFIX with a valid bucket name`
    );
  }
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1], prefix: prefix ? `${prefix}/` : '' };
}

export interface S3Settings {
  /** Non-AWS stores (SeaweedFS, Ceph RGW, MinIO…); else the SDK's own (AWS_ENDPOINT_URL_S3 too). */
  endpoint?: string;
  forcePathStyle?: boolean;
  region?: string;
  /** Explicit keys (tests); otherwise the SDK's default chain (env, shared config, IRSA…). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createS3Client(settings: S3Settings): S3Client {
  // The SDK's notice about future Node versions is for this project's maintainers, not for an
  // operator reading the start-up output (which must stay one clear line on failure).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const nonAws = Boolean(settings.endpoint ?? process.env.AWS_ENDPOINT_URL_S3);
  return new S3Client({
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    // Custom endpoints rarely care about the region, but the SDK needs one to sign.
    region: settings.region ?? (nonAws ? process.env.AWS_REGION || 'us-east-1' : undefined),
    credentials: settings.credentials,
    // Not every S3-compatible store understands the SDK's newer default checksum trailers;
    // contents are checked against their SHA-256 on every read instead.
    requestChecksumCalculation: nonAws ? 'WHEN_REQUIRED' : undefined,
    responseChecksumValidation: nonAws ? 'WHEN_REQUIRED' : undefined,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 }
  });
}

export class S3BlobStorage implements BlobStorage {
  constructor(
    private readonly client: S3Client,
    readonly location: S3Location,
    /** This replica's own scratch folder for uploads in progress. */
    private readonly stagingDir: string,
    /** The endpoint, for messages (the SDK's own when empty). */
    private readonly endpoint = ''
  ) {}

  /** Where the objects are, for logs and messages. */
  get description(): string {
    return `s3://${this.location.bucket}/${this.location.prefix}`;
  }

  /** Creates the staging folder and proves the bucket writable; throws one clear Error. */
  async init(): Promise<void> {
    await fs.mkdir(this.stagingDir, { recursive: true });
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.location.bucket }));
      await this.probe();
    } catch (err) {
      throw new Error(`object storage ${this.description}: ${explainS3Error(err, this.endpoint)}`);
    }
  }

  private keyFor(sha256: string): string {
    if (!HASH.test(sha256)) {
      throw new Error(`not a sha256 hash: ${sha256}`);
    }
    return `${this.location.prefix}blobs/${sha256.slice(0, 2)}/${sha256.slice(2)}`;
  }

  async createWriter(): Promise<BlobWriter> {
    let chunks: Buffer[] = [];
    let size = 0;
    let temp: string | undefined;
    let handle: fs.FileHandle | undefined;
    let state: 'writing' | 'staged' | 'done' = 'writing';
    const close = async () => {
      const h = handle;
      handle = undefined;
      await h?.close();
    };
    const discard = async () => {
      if (state !== 'done') {
        state = 'done';
        chunks = [];
        await close().catch(() => undefined);
        if (temp) {
          await fs.rm(temp, { force: true });
        }
      }
    };
    return {
      write: async chunk => {
        size += chunk.length;
        if (!handle && size <= IN_MEMORY_LIMIT) {
          chunks.push(chunk);
          return;
        }
        if (!handle) {
          temp = path.join(this.stagingDir, `${randomUUID()}.part`);
          handle = await fs.open(temp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
          for (const c of chunks) {
            await handle.write(c);
          }
          chunks = [];
        }
        await handle.write(chunk);
      },
      finish: async sha256 => {
        const key = this.keyFor(sha256);
        await close();
        state = 'staged';
        return {
          commit: async () => {
            if (state === 'done') {
              return;
            }
            const body = temp ? createReadStream(temp) : Buffer.concat(chunks);
            try {
              // lib-storage: one PUT when small, a multipart upload (completed whole) when large.
              await new Upload({
                client: this.client,
                params: { Bucket: this.location.bucket, Key: key, Body: body },
                partSize: 8 * 1024 * 1024,
                queueSize: 2,
                leavePartsOnError: false
              }).done();
            } finally {
              if (!Buffer.isBuffer(body)) {
                body.destroy();
              }
            }
          },
          discard
        };
      },
      discard
    };
  }

  async read(sha256: string): Promise<Buffer> {
    const res = await this.client.send(
      new GetObjectCommand({ Bucket: this.location.bucket, Key: this.keyFor(sha256) })
    );
    const data = Buffer.from(await res.Body!.transformToByteArray());
    // A store that lost or mangled bytes must not hand them to a grader as the submission.
    if (createHash('sha256').update(data).digest('hex') !== sha256) {
      throw new Error(`stored object for ${sha256} does not match its hash`);
    }
    return data;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.keyFor(sha256) })
      );
      return true;
    } catch (err) {
      if (isNotFound(err)) {
        return false;
      }
      throw err;
    }
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.keyFor(sha256) })
    );
  }

  /**
   * By the store's LastModified. Only a hint for which rowless objects to
   * adopt: the deletion itself is decided under the blob row's lock (see
   * FileKeeper.removeStrays), so a skewed clock cannot delete reused bytes.
   */
  async *listOlderThan(ageMs: number): AsyncIterable<string> {
    const cutoff = Date.now() - ageMs;
    const base = `${this.location.prefix}blobs/`;
    for await (const { key, modified } of this.listKeys(base)) {
      const hash = key.slice(base.length).replace('/', '');
      if (HASH.test(hash) && modified <= cutoff) {
        yield hash;
      }
    }
  }

  private async *listKeys(prefix: string): AsyncIterable<{ key: string; modified: number }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: prefix,
          ContinuationToken: token
        })
      );
      for (const o of page.Contents ?? []) {
        if (o.Key) {
          yield { key: o.Key, modified: o.LastModified?.getTime() ?? 0 };
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Staging files of this replica left by a crash, and multipart uploads abandoned in the bucket. */
  async removeStaleStaging(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await fs.readdir(this.stagingDir).catch(() => [] as string[])) {
      const file = path.join(this.stagingDir, name);
      try {
        if (name.endsWith('.part') && (await fs.stat(file)).mtimeMs <= cutoff) {
          await fs.rm(file, { force: true });
          removed += 1;
        }
      } catch {
        // gone already
      }
    }
    try {
      const uploads = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.location.bucket,
          Prefix: `${this.location.prefix}blobs/`
        })
      );
      for (const u of uploads.Uploads ?? []) {
        if (u.Key && u.UploadId && (u.Initiated?.getTime() ?? 0) <= cutoff) {
          await this.client.send(
            new AbortMultipartUploadCommand({
              Bucket: this.location.bucket,
              Key: u.Key,
              UploadId: u.UploadId
            })
          );
          removed += 1;
        }
      }
    } catch {
      // Not every store lists multipart uploads; a bucket lifecycle rule can clean them instead.
    }
    return removed;
  }

  /** For /readyz: the bucket takes a write and a delete now; else why not, in words. */
  async check(): Promise<void> {
    try {
      await this.probe();
    } catch (err) {
      throw new Error(explainS3Error(err, this.endpoint));
    }
  }

  private async probe(): Promise<void> {
    await fs.access(this.stagingDir, constants.W_OK);
    const Key = `${this.location.prefix}tmp/ready-${randomUUID()}.probe`;
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key, Body: 'ok' }));
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key }));
  }

  /** Removes every object under the prefix (debug `clear`, tests). */
  async clear(): Promise<void> {
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length > 0) {
        await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.location.bucket,
            Delete: { Objects: batch.map(Key => ({ Key })), Quiet: true }
          })
        );
        batch = [];
      }
    };
    for await (const { key } of this.listKeys(this.location.prefix)) {
      batch.push(key);
      if (batch.length === 1000) {
        await flush();
      }
    }
    await flush();
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

/** One line on why the store could not be used: what to fix, not a stack. */
export function explainS3Error(err: unknown, endpoint: string): string {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: { code?: string };
  };
  const status = e.$metadata?.httpStatusCode;
  const network = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH)\b/;
  // The SDK sometimes wraps the socket error and keeps its code only in the message.
  const code = e.code ?? e.cause?.code ?? network.exec(e.message ?? '')?.[1];
  const where = endpoint || process.env.AWS_ENDPOINT_URL_S3 || 'of S3';
  if (e.name === 'CredentialsProviderError') {
    return 'no credentials found (set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or a role)';
  }
  if (e.name === 'NoSuchBucket' || (status === 404 && e.name === 'NotFound')) {
    return 'the bucket does not exist';
  }
  if (
    ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'Forbidden'].includes(
      e.name ?? ''
    ) ||
    status === 403
  ) {
    return 'access denied: check the credentials and that they may read and write the bucket';
  }
  if (code && network.test(code)) {
    return `cannot reach the endpoint ${where} (${code})`;
  }
  if (e.name === 'TimeoutError') {
    return `the endpoint ${where} did not answer in time`;
  }
  if (status === 301 || e.name === 'PermanentRedirect') {
    return 'the bucket is in another region: set AWS_REGION';
  }
  return `${e.name ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(err)}`;
}
