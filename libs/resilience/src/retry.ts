export interface RetryOptions {
  /** Total tries including the first (1 = no retry). */
  attempts: number;
  /** Base of the exponential backoff: the cap for try n is min(maxMs, baseMs * 2^(n-1)). */
  baseMs: number;
  maxMs: number;
  /** 'full' (AWS "full jitter": uniform in [0, cap]) or 'none' (exactly the cap). */
  jitter?: 'full' | 'none';
  /** Whether an error is worth another try; default: its `retriable` flag. */
  retryIf?: (err: unknown, attempt: number) => boolean;
  /** A wait the server asked for (e.g. Retry-After), used instead of the backoff when larger. */
  retryAfterMs?: (err: unknown) => number | undefined;
  /** Called before each wait, e.g. to log or count retries. */
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
  /** Stops waiting and retrying when aborted. */
  signal?: AbortSignal;
  /** Source of randomness in [0, 1), injectable for tests. */
  random?: () => number;
}

const retriableFlag = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;

/** The wait before try `attempt + 1` (attempt counts from 1). */
export function backoffMs(attempt: number, opts: Pick<RetryOptions, 'baseMs' | 'maxMs' | 'jitter' | 'random'>): number {
  const cap = Math.min(opts.maxMs, opts.baseMs * 2 ** (attempt - 1));
  if (opts.jitter === 'none') return cap;
  return Math.floor((opts.random ?? Math.random)() * cap);
}

/**
 * Run `fn` until it succeeds, the error is not retriable, or `attempts` are used up, waiting with
 * full-jitter exponential backoff in between (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 * A server's Retry-After wins over a shorter backoff: it knows when it will take calls again.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const retryIf = opts.retryIf ?? retriableFlag;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= opts.attempts || !retryIf(err, attempt) || opts.signal?.aborted) throw err;
      const wait = Math.max(backoffMs(attempt, opts), opts.retryAfterMs?.(err) ?? 0);
      opts.onRetry?.(err, attempt, wait);
      await delay(wait, opts.signal);
    }
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
