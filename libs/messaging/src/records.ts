/** A record as the event layer hands it to a handler: decoded headers, offsets as strings. */
export interface InboundRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: string;
}

/** A record a handler wants produced, inside the same transaction as the input's offset. */
export interface OutboundRecord {
  topic: string;
  key: string | null;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface HandlerContext {
  /** 1 on the first try; the retry loop increments it. */
  attempt: number;
}

export type RecordHandler = (record: InboundRecord, ctx: HandlerContext) => Promise<OutboundRecord[]>;

export function decodeHeaders(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined || v === null) continue;
    out[k] = Buffer.isBuffer(v) ? v.toString('utf8') : Array.isArray(v) ? String(v[0] ?? '') : String(v);
  }
  return out;
}
