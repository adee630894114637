import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { s3ProxyStatus, startS3Proxy, stopS3Proxy, type RunningS3Proxy } from '../src/s3proxy';

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

describe('tools/s3proxy: a real S3-compatible server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'weaver-s3proxy-tool-'));
  let proxy: RunningS3Proxy;

  beforeAll(async () => {
    proxy = await startS3Proxy({ port: await freePort(), dataDir });
  });

  afterAll(async () => {
    await stopS3Proxy(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('speaks S3 with signed requests, and keeps objects on disk', async () => {
    const s3 = new S3Client({ endpoint: proxy.endpoint, region: proxy.region, forcePathStyle: true, credentials: proxy });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'tool-test' }));
      await s3.send(new PutObjectCommand({ Bucket: 'tool-test', Key: 'a/b.txt', Body: 'hello' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'tool-test', Key: 'a/b.txt' }));
      expect(await got.Body!.transformToString()).toBe('hello');
    } finally {
      s3.destroy();
    }
    const wrongKey = new S3Client({ endpoint: proxy.endpoint, region: proxy.region, forcePathStyle: true, credentials: { accessKeyId: 'weaver', secretAccessKey: 'nope' } });
    await expect(wrongKey.send(new GetObjectCommand({ Bucket: 'tool-test', Key: 'a/b.txt' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    wrongKey.destroy();
  });

  it('reuses a running proxy, refuses another port, and stops', async () => {
    expect(await startS3Proxy({ port: proxy.port, dataDir })).toMatchObject({ reused: true, pid: proxy.pid });
    await expect(startS3Proxy({ port: proxy.port + 1, dataDir })).rejects.toMatchObject({ code: 'ALREADY_RUNNING' });
    expect(s3ProxyStatus(dataDir)).toMatchObject({ state: 'running', port: proxy.port });
    expect(await stopS3Proxy(dataDir)).toBe(true);
    expect(s3ProxyStatus(dataDir).state).toBe('stopped');
  });
});
