/**
 * A PostgreSQL database and an S3 bucket of their own for the shared hub's second ngshare-ts
 * service, "ngshare-scale" (harness/config/hub-config.d/70-ngshare-scale.py): the deployment
 * with no shared filesystem, on which the nbgrader semester runs once. Made when the run has
 * both servers (NGSHARE_TEST_PG_URL, NGSHARE_TEST_S3_URL: scripts/test-all.sh starts them);
 * `drop()` removes both again.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  S3Client
} from '@aws-sdk/client-s3';
import { randomBytes } from 'crypto';
import { Client } from 'pg';

export interface ScaleBackend {
  /** ngshare flags: --database, --storage, --s3-endpoint, --s3-force-path-style */
  args: string[];
  /** the service's environment: the S3 keys and region, as the AWS SDK reads them */
  env: Record<string, string>;
  database: string;
  storage: string;
  drop(): Promise<void>;
}

/** The keys and region in a test S3 URL (http://KEY:SECRET@HOST:PORT), as the AWS SDK reads them. */
export function s3Keys(url: string): Record<string, string> {
  const u = new URL(url);
  return {
    AWS_ACCESS_KEY_ID: decodeURIComponent(u.username),
    AWS_SECRET_ACCESS_KEY: decodeURIComponent(u.password),
    AWS_REGION: 'us-east-1'
  };
}

/** A client of the test S3 server that a URL like NGSHARE_TEST_S3_URL names. */
export function s3ClientFor(url: string): S3Client {
  const keys = s3Keys(url);
  return new S3Client({
    endpoint: new URL(url).origin,
    forcePathStyle: true,
    region: keys.AWS_REGION,
    credentials: {
      accessKeyId: keys.AWS_ACCESS_KEY_ID,
      secretAccessKey: keys.AWS_SECRET_ACCESS_KEY
    }
  });
}

async function withPg<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createScaleBackend(): Promise<ScaleBackend | undefined> {
  const pgUrl = process.env.NGSHARE_TEST_PG_URL;
  const s3Url = process.env.NGSHARE_TEST_S3_URL;
  if (!pgUrl || !s3Url) {
    return undefined;
  }
  const name = `ngshare_e2e_${randomBytes(5).toString('hex')}`;
  await withPg(pgUrl, c => c.query(`CREATE DATABASE ${name}`));
  const database = new URL(pgUrl);
  database.pathname = `/${name}`;

  const s3 = new URL(s3Url);
  const env = s3Keys(s3Url);
  const client = s3ClientFor(s3Url);
  const bucket = name.replace(/_/g, '-');
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const storage = `s3://${bucket}/e2e`;

  const emptyBucket = async (): Promise<void> => {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (page.Contents ?? []).map(o => ({ Key: o.Key! }));
      if (keys.length === 0) {
        break;
      }
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  };
  const dropDatabase = async (): Promise<void> => {
    // an autovacuum worker (a superuser's) cannot be ended by FORCE: wait for it and retry
    for (let attempt = 1; ; attempt++) {
      try {
        await withPg(pgUrl, c => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '42501' || attempt >= 20) {
          throw err;
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
  };
  const drop = async (): Promise<void> => {
    const done = await Promise.allSettled([emptyBucket(), dropDatabase()]);
    client.destroy();
    const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      throw failed.reason;
    }
  };
  return {
    args: [
      '--database',
      database.toString(),
      '--storage',
      storage,
      '--s3-endpoint',
      s3.origin,
      '--s3-force-path-style'
    ],
    env,
    database: database.toString().replace(/:[^:@/]*@/, ':***@'),
    storage,
    drop
  };
}
