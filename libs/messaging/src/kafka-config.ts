import { bool, csv, z } from '@weaver/config';

/**
 * How a service connects to Kafka: brokers, TLS and SASL. One set of variables, shared by every
 * service that connects (gateway, agent-runner, tools), validated once with the rest of the
 * service's config (`kafkaConfigFields` + `kafkaConfigRules`), then turned into the typed
 * `KafkaSecurity` that `createKafka` takes. Secrets are read from files where a variable ends in
 * `_FILE` (Kubernetes secrets, the local broker tool's credentials); nothing here is ever logged.
 */
export const SASL_MECHANISMS = ['none', 'plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

const file = z.string().min(1, 'must be a file path');

export const kafkaConfigFields = {
  KAFKA_BROKERS: csv('127.0.0.1:9092'),
  /** TLS to the brokers. Implied by any KAFKA_TLS_* file; set `true` alone for a public CA (MSK, Confluent Cloud). */
  KAFKA_TLS: bool(false),
  /** PEM bundle of the CA(s) that signed the brokers' certificates; unset: the system's CAs. */
  KAFKA_TLS_CA_FILE: file.optional(),
  /** Client certificate and key (PEM) for brokers that require mutual TLS; both or neither. */
  KAFKA_TLS_CERT_FILE: file.optional(),
  KAFKA_TLS_KEY_FILE: file.optional(),
  /** Name checked against the broker certificate (and sent as SNI) instead of the host in KAFKA_BROKERS. */
  KAFKA_TLS_SERVERNAME: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(SASL_MECHANISMS, { error: `must be one of ${SASL_MECHANISMS.join(', ')}` }).default('none'),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD_FILE: file.optional(),
  /** OAUTHBEARER, option 1: a file holding the token, re-read at every (re)authentication (e.g. a projected service-account token). */
  KAFKA_SASL_OAUTH_TOKEN_FILE: file.optional(),
  /** OAUTHBEARER, option 2: an OAuth 2 token endpoint, client-credentials grant. */
  KAFKA_SASL_OAUTH_TOKEN_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  KAFKA_SASL_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SASL_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE: file.optional(),
  KAFKA_SASL_OAUTH_SCOPE: z.string().min(1).optional(),
};

/** The fields alone, for tools that connect without a service config (and for tests). */
export const kafkaConfigSchema = z.object(kafkaConfigFields).superRefine((c, ctx) => kafkaConfigRules(c, ctx));

export type KafkaConfig = z.infer<typeof kafkaConfigSchema>;
type Fields = KafkaConfig;

type Issue = { path: string; message: string };

/** The rules between the fields (which go together, which exclude each other), each naming the variable to fix. */
export function kafkaConfigIssues(c: Partial<Fields>): Issue[] {
  const issues: Issue[] = [];
  const need = (path: keyof Fields, why: string) => c[path] === undefined && issues.push({ path, message: `is required ${why}` });
  const forbid = (path: keyof Fields, why: string) => c[path] !== undefined && issues.push({ path, message: `must not be set ${why}` });
  const oneOf = (a: keyof Fields, b: keyof Fields, why: string) => {
    if (c[a] !== undefined && c[b] !== undefined) issues.push({ path: b, message: `set ${a} or ${b}, not both` });
    else if (c[a] === undefined && c[b] === undefined) issues.push({ path: a, message: `(or ${b}) is required ${why}` });
  };
  if ((c.KAFKA_TLS_CERT_FILE === undefined) !== (c.KAFKA_TLS_KEY_FILE === undefined)) {
    issues.push({ path: c.KAFKA_TLS_CERT_FILE === undefined ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE', message: 'a client certificate needs both KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE' });
  }
  const mechanism = c.KAFKA_SASL_MECHANISM ?? 'none';
  const password = mechanism === 'plain' || mechanism.startsWith('scram');
  if (password) {
    need('KAFKA_SASL_USERNAME', `for KAFKA_SASL_MECHANISM=${mechanism}`);
    oneOf('KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE', `for KAFKA_SASL_MECHANISM=${mechanism}`);
  } else {
    for (const f of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE'] as const) forbid(f, `for KAFKA_SASL_MECHANISM=${mechanism}`);
  }
  // PLAIN sends the password as it is: only inside TLS.
  if (mechanism === 'plain' && !tlsWanted(c)) issues.push({ path: 'KAFKA_SASL_MECHANISM', message: 'plain sends the password in clear: it needs KAFKA_TLS=true' });
  const oauthFields = ['KAFKA_SASL_OAUTH_TOKEN_FILE', 'KAFKA_SASL_OAUTH_TOKEN_URL', 'KAFKA_SASL_OAUTH_CLIENT_ID', 'KAFKA_SASL_OAUTH_CLIENT_SECRET', 'KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE', 'KAFKA_SASL_OAUTH_SCOPE'] as const;
  if (mechanism === 'oauthbearer') {
    oneOf('KAFKA_SASL_OAUTH_TOKEN_FILE', 'KAFKA_SASL_OAUTH_TOKEN_URL', 'for KAFKA_SASL_MECHANISM=oauthbearer');
    if (c.KAFKA_SASL_OAUTH_TOKEN_URL !== undefined) {
      need('KAFKA_SASL_OAUTH_CLIENT_ID', 'with KAFKA_SASL_OAUTH_TOKEN_URL');
      oneOf('KAFKA_SASL_OAUTH_CLIENT_SECRET', 'KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE', 'with KAFKA_SASL_OAUTH_TOKEN_URL');
    } else {
      for (const f of oauthFields.slice(2)) forbid(f, 'without KAFKA_SASL_OAUTH_TOKEN_URL');
    }
  } else {
    for (const f of oauthFields) forbid(f, `for KAFKA_SASL_MECHANISM=${mechanism}`);
  }
  return issues;
}

/** `serviceConfigSchema.extend({ ...kafkaConfigFields, ... }).superRefine(kafkaConfigRules)`. */
export function kafkaConfigRules(config: Partial<Fields>, ctx: z.RefinementCtx): void {
  for (const issue of kafkaConfigIssues(config)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
}

const tlsWanted = (c: Partial<Fields>): boolean =>
  c.KAFKA_TLS === true || [c.KAFKA_TLS_CA_FILE, c.KAFKA_TLS_CERT_FILE, c.KAFKA_TLS_SERVERNAME].some((v) => v !== undefined);

/** A secret given inline or as a file (read when the connection is made). */
export type Secret = { readonly value: string } | { readonly file: string };

export type KafkaSasl =
  | { readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; readonly username: string; readonly password: Secret }
  | { readonly mechanism: 'oauthbearer'; readonly token: { readonly file: string } | { readonly url: string; readonly clientId: string; readonly clientSecret: Secret; readonly scope?: string } };

/** TLS and SASL of a connection: what `createKafka({ security })` takes. */
export interface KafkaSecurity {
  readonly tls?: { readonly caFile?: string; readonly certFile?: string; readonly keyFile?: string; readonly servername?: string };
  readonly sasl?: KafkaSasl;
}

const secretOf = (value: string | undefined, file: string | undefined): Secret => (file !== undefined ? { file } : { value: value ?? '' });

/** The validated fields as a `KafkaSecurity` (call after loadConfig; the rules above hold). */
export function kafkaSecurityOf(c: Fields): KafkaSecurity {
  const tls = tlsWanted(c) ? { caFile: c.KAFKA_TLS_CA_FILE, certFile: c.KAFKA_TLS_CERT_FILE, keyFile: c.KAFKA_TLS_KEY_FILE, servername: c.KAFKA_TLS_SERVERNAME } : undefined;
  const m = c.KAFKA_SASL_MECHANISM;
  let sasl: KafkaSasl | undefined;
  if (m === 'plain' || m === 'scram-sha-256' || m === 'scram-sha-512') {
    sasl = { mechanism: m, username: c.KAFKA_SASL_USERNAME ?? '', password: secretOf(c.KAFKA_SASL_PASSWORD, c.KAFKA_SASL_PASSWORD_FILE) };
  } else if (m === 'oauthbearer') {
    const token =
      c.KAFKA_SASL_OAUTH_TOKEN_URL !== undefined
        ? { url: c.KAFKA_SASL_OAUTH_TOKEN_URL, clientId: c.KAFKA_SASL_OAUTH_CLIENT_ID ?? '', clientSecret: secretOf(c.KAFKA_SASL_OAUTH_CLIENT_SECRET, c.KAFKA_SASL_OAUTH_CLIENT_SECRET_FILE), scope: c.KAFKA_SASL_OAUTH_SCOPE }
        : { file: c.KAFKA_SASL_OAUTH_TOKEN_FILE ?? '' };
    sasl = { mechanism: 'oauthbearer', token };
  }
  return { ...(tls ? { tls } : {}), ...(sasl ? { sasl } : {}) };
}

/** A one-line description for logs and errors: mechanism, user and TLS, never a secret. */
export function describeSecurity(s: KafkaSecurity | undefined): string {
  const sasl = s?.sasl;
  const who = sasl === undefined ? 'no SASL' : sasl.mechanism === 'oauthbearer' ? 'SASL OAUTHBEARER' : `SASL ${sasl.mechanism.toUpperCase()} as "${sasl.username}"`;
  return `${who}, ${s?.tls ? 'TLS' : 'no TLS'}`;
}
