import { joinWire } from '@weaver/governance';

/** One input of a join: an event of one of the required types. */
export interface JoinPart {
  type: string;
  eventId: string;
  payload: unknown;
  /** The part's classification (canonical wire form); the joined step is at least as classified as every part. */
  classification?: readonly string[];
}

/** A join as stored: each type's first arrival, and the event that completed it (if any). */
export interface StoredJoin {
  parts: Record<string, { eventId: string; payload: unknown; classification?: readonly string[] }>;
  completedBy: string | null;
}

/** What an arriving event learns: whether it is the one that runs the step. */
export interface JoinState {
  /** The event whose arrival completed the join; null while inputs are missing. */
  completedBy: string | null;
  /** Payloads keyed by event type (each type's first arrival). */
  parts: Record<string, unknown>;
  missing: string[];
  /** The join of the parts' classifications (parts stored before labels were kept count as unlabelled). */
  classification: string[];
}

/**
 * Adds a part to a join. The first event of each type wins (a redelivery, or a second event of
 * that type, changes nothing), and the event that supplies the last missing type completes the
 * join: it is recorded once and never replaced, so exactly one event ever runs the step.
 */
export function mergeJoinPart(stored: StoredJoin, part: JoinPart, required: readonly string[]): { next: StoredJoin; changed: boolean } {
  if (stored.completedBy !== null || !required.includes(part.type) || stored.parts[part.type]) return { next: stored, changed: false };
  const parts = { ...stored.parts, [part.type]: { eventId: part.eventId, payload: part.payload, classification: part.classification ?? [] } };
  const complete = required.every((t) => parts[t] !== undefined);
  return { next: { parts, completedBy: complete ? part.eventId : null }, changed: true };
}

export function joinStateOf(stored: StoredJoin, required: readonly string[]): JoinState {
  const parts: Record<string, unknown> = {};
  for (const [type, p] of Object.entries(stored.parts)) parts[type] = p.payload;
  const classification = joinWire(...Object.values(stored.parts).map((p) => p.classification ?? []));
  return { completedBy: stored.completedBy, parts, missing: required.filter((t) => stored.parts[t] === undefined), classification };
}
