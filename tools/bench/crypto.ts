/**
 * Benchmark: the per-step cost of envelope encryption, in process (no network: the data key
 * comes from the DataKeyCache, as in the steady state of a runner).
 *   npx tsx tools/bench/crypto.ts [--seconds 2]
 * Prints seal/open per second for a 200 B and a 20 KB JSON payload (the 20 KB one is deflated
 * before encryption), and each relative to JSON.stringify of the same payload in the same run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DataKeyCache, EnvelopeCipher, LocalKms, type DataKeySource, type StoredDataKey } from '../../libs/crypto/src';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 2);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** One key in memory: the bench measures crypto, not the database (a cache hit never reads it). */
class OneKey implements DataKeySource {
  private key?: StoredDataKey;
  active = async (): Promise<StoredDataKey | undefined> => this.key;
  version = async (): Promise<StoredDataKey | undefined> => this.key;
  createFirst = async (scope: StoredDataKey['scope'], wrapped: NonNullable<StoredDataKey['wrapped']>): Promise<StoredDataKey | undefined> => (this.key ??= { scope, version: 1, state: 'active', wrapped });
}

async function rate(fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await fn(); // warm up
  let n = 0;
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    for (let i = 0; i < 200; i++) await fn();
    n += 200;
  }
  return n / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const kms = LocalKms.open(join(mkdtempSync(join(tmpdir(), 'weaver-bench-')), 'keyring.json'));
  const cipher = new EnvelopeCipher(new DataKeyCache(new OneKey(), kms));
  const tenantId = randomUUID();
  const scope = { tenantId };
  const small = { summary: 'x'.repeat(150), score: 0.93, tags: ['a', 'b'] };
  const large = { text: Array.from({ length: 400 }, (_, i) => `sentence ${i} of the draft, with some words.`).join(' '), sources: Array.from({ length: 20 }, (_, i) => `https://example.invalid/${i}`) };
  say(`envelope encryption, ${SECONDS}s per measurement, node ${process.version}`);
  say('| payload | JSON.stringify/s | seal/s | open/s | seal cost vs stringify | open cost vs stringify | sealed size |');
  say('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [label, value] of [['200 B', small], ['20 KB', large]] as const) {
    const bytes = Buffer.from(JSON.stringify(value));
    const sealed = await cipher.seal(scope, 'bench', bytes);
    const stringify = await rate(() => JSON.stringify(value));
    const seal = await rate(() => cipher.seal(scope, 'bench', bytes));
    const open = await rate(() => cipher.open(tenantId, 'bench', sealed));
    say(`| ${label} (${bytes.length} B) | ${Math.round(stringify).toLocaleString('en')} | ${Math.round(seal).toLocaleString('en')} | ${Math.round(open).toLocaleString('en')} | ${(stringify / seal).toFixed(1)}× | ${(stringify / open).toFixed(1)}× | ${sealed.length} B |`);
  }
}

void main();
