/** The S3 flags that `ngshare`, `ngshare import` and `ngshare copy` share, spelt once. */
import type { Command } from 'commander';
import type { S3Settings } from '../storage/s3-blob-storage';

export interface S3Flags {
  s3Endpoint?: string;
  s3ForcePathStyle: boolean;
}

/** Adds --s3-endpoint and --s3-force-path-style (for an s3:// storage) to a command. */
export function addS3Flags(command: Command): Command {
  return command
    .option(
      '--s3-endpoint <url>',
      'S3-compatible endpoint (SeaweedFS, Ceph RGW, MinIO…); default: AWS, or $AWS_ENDPOINT_URL_S3'
    )
    .option('--s3-force-path-style', 'address the bucket in the path, not the host name', false);
}

/** The storage's S3 settings from the flags (keys and region: the AWS SDK's default chain). */
export function s3SettingsOf(flags: S3Flags): S3Settings {
  return { endpoint: flags.s3Endpoint, forcePathStyle: flags.s3ForcePathStyle };
}
