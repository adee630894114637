import type { OauthbearerProviderResponse } from 'kafkajs';
import { UnauthenticatedError, UnavailableError } from '@weaver/errors';
import type { KafkaSasl } from '../kafka-config';
import { readConfigFile, secretValue } from './config-files';

type TokenSource = Extract<KafkaSasl, { mechanism: 'oauthbearer' }>['token'];

/** A token is renewed this long before it expires, so a reconnect never presents an expired one. */
const RENEW_BEFORE_MS = 60_000;

/**
 * kafkajs calls the provider on every new broker connection; it must answer from a cache.
 * - a token file is re-read each time (cheap; a rotated file — a projected Kubernetes token —
 *   is picked up at the next connection);
 * - a token endpoint is asked once per token lifetime (client-credentials grant, RFC 6749 §4.4),
 *   concurrent connections sharing one request.
 */
export function oauthBearerProvider(source: TokenSource, fetchImpl: typeof fetch = fetch, now: () => number = Date.now): () => Promise<OauthbearerProviderResponse> {
  if ('file' in source) return async () => ({ value: readConfigFile(source.file, 'KAFKA_SASL_OAUTH_TOKEN_FILE').trim() });
  let cached: { value: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached && now() < cached.renewAt) return { value: cached.value };
    pending ??= requestToken(source, fetchImpl)
      .then(({ token, expiresInS }) => {
        cached = { value: token, renewAt: now() + Math.max(0, expiresInS * 1000 - RENEW_BEFORE_MS) };
        return token;
      })
      .finally(() => (pending = undefined));
    return { value: await pending };
  };
}

async function requestToken(source: Exclude<TokenSource, { file: string }>, fetchImpl: typeof fetch): Promise<{ token: string; expiresInS: number }> {
  const secret = secretValue(source.clientSecret, 'KAFKA_SASL_OAUTH_CLIENT_SECRET');
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(source.scope ? { scope: source.scope } : {}) });
  let res: Response;
  try {
    res = await fetchImpl(source.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(source.clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` },
      body: form.toString(),
    });
  } catch (error) {
    throw new UnavailableError(`the Kafka OAuth token endpoint ${source.url} is unreachable: ${String(error)}`);
  }
  // The body of a refusal is the server's error code (RFC 6749 §5.2), safe to show; a token never is.
  if (!res.ok) throw new UnauthenticatedError(`the Kafka OAuth token endpoint ${source.url} refused client "${source.clientId}": ${res.status} ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
  if (typeof body.access_token !== 'string' || body.access_token === '') throw new UnauthenticatedError(`the Kafka OAuth token endpoint ${source.url} answered without an access_token`);
  return { token: body.access_token, expiresInS: typeof body.expires_in === 'number' ? body.expires_in : 300 };
}
