/**
 * Picks the blob storage from `--storage`: a folder, or `s3://BUCKET[/PREFIX]`
 * (with its staging files in this replica's temporary folder).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BlobStorage } from './blob-storage';
import { LocalBlobStorage } from './local-blob-storage';
import { createS3Client, parseS3Url, S3BlobStorage, type S3Settings } from './s3-blob-storage';

export interface OpenedStorage {
  blobs: BlobStorage;
  /** For logs: the folder or the s3:// location. */
  description: string;
}

/** The storage cannot be used as configured (its message says what failed, for one log line). */
export class StorageUnavailable extends Error {}

export const isS3Location = (storage: string): boolean => storage.startsWith('s3://');

/** Opens and checks the storage; throws one clear Error when it cannot be used. */
export async function openBlobStorage(
  storage: string,
  s3: S3Settings = {},
  stagingDir = path.join(tmpdir(), 'ngshare-staging')
): Promise<OpenedStorage> {
  if (isS3Location(storage)) {
    let blobs: S3BlobStorage;
    try {
      blobs = new S3BlobStorage(createS3Client(s3), parseS3Url(storage), stagingDir, s3.endpoint);
      await blobs.init();
    } catch (err) {
      throw new StorageUnavailable((err as Error).message);
    }
    return { blobs, description: blobs.description };
  }
  const blobs = new LocalBlobStorage(storage);
  await blobs.init();
  return { blobs, description: storage };
}
