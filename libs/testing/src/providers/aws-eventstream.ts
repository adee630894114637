import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';

/**
 * One message of AWS's `application/vnd.amazon.eventstream` binary framing (what Bedrock's
 * ConverseStream answers with): prelude (total length, headers length, both big-endian uint32),
 * the prelude's CRC32, headers (name length uint8, name, type 7 = string, value length uint16,
 * value), the JSON payload, and the CRC32 of everything before it.
 */
export function eventStreamMessage(headers: Record<string, string>, payload: unknown): Buffer {
  const head = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const n = Buffer.from(name, 'utf8');
      const v = Buffer.from(value, 'utf8');
      const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
      h.writeUInt8(n.length, 0);
      n.copy(h, 1);
      h.writeUInt8(7, 1 + n.length);
      h.writeUInt16BE(v.length, 2 + n.length);
      v.copy(h, 4 + n.length);
      return h;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  const total = 12 + head.length + body.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(head.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, head, body, Buffer.alloc(4)]);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

/** An event (`:message-type: event`) or a modelled exception (`:message-type: exception`). */
export const streamEvent = (type: string, payload: unknown): Buffer =>
  eventStreamMessage({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, payload);
export const streamException = (type: string, message: string): Buffer =>
  eventStreamMessage({ ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, { message });

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface SigV4Check {
  ok: boolean;
  /** Why it failed, in the words AWS uses. */
  reason?: string;
  region?: string;
  service?: string;
}

/**
 * Verify an AWS Signature Version 4 request the way AWS does (canonical request, string to
 * sign, derived key), for a service that URI-encodes the path twice (every service but S3).
 */
export function verifySigV4(req: IncomingMessage, raw: string, accessKeyId: string, secretAccessKey: string): SigV4Check {
  const m = AUTH.exec(String(req.headers.authorization ?? ''));
  if (!m) return { ok: false, reason: 'Authorization header requires AWS4-HMAC-SHA256 Credential, SignedHeaders and Signature' };
  const [, akid, date, region = '', service = '', signedHeaders = '', signature = ''] = m;
  if (akid !== accessKeyId) return { ok: false, reason: 'The security token included in the request is invalid.' };
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const url = new URL(req.url ?? '/', 'http://aws.local');
  const path = url.pathname.split('/').map((seg) => rfc3986(seg)).join('/');
  const query = [...url.searchParams].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).sort().join('&');
  const names = signedHeaders.split(';');
  const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? sha256(raw));
  const canonical = [req.method, path, query, headers, signedHeaders, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date ?? ''), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign, 'utf8').digest();
  const ok = timingSafeEqual(expected, Buffer.from(signature, 'hex'));
  return ok ? { ok, region, service } : { ok, region, service, reason: 'The request signature we calculated does not match the signature you provided.' };
}
