import { findIncompatibilities } from '../schema-compat/check-compatibility';
import { ROOT_PATH, type CompatibilityRule } from '../schema-compat/schema-violation';
import { matchesEventType } from '@weaver/sdk/internal';
import type { AgentDefinitionSpec } from './agent-definition';

/** The types of `publishes` that `requires` consumes (exactly or by a pattern). */
const consumed = (requires: readonly string[], publishes: readonly string[]): string[] => publishes.filter((p) => requires.some((r) => matchesEventType(r, p)));

/** One incompatibility of a candidate definition, with the definition it was checked against. */
export interface DefinitionIncompatibility {
  /** `inputSchema.customer.email`, `outputSchema.tags[]`. */
  readonly field: string;
  readonly rule: CompatibilityRule;
  readonly message: string;
  /** BACKWARD: the new input must read the previous input's data. FORWARD: consumers must read the new output. */
  readonly check: 'BACKWARD' | 'FORWARD';
  /** e.g. `summarizer 1.0.0` or `consumer indexer 2.1.0 (article.summarized)`. */
  readonly against: string;
}

type Definition = Pick<AgentDefinitionSpec, 'name' | 'version' | 'requires' | 'publishes' | 'inputSchema' | 'outputSchema'>;

function fieldOf(schema: 'inputSchema' | 'outputSchema', path: string): string {
  if (path === ROOT_PATH) return schema;
  return path.startsWith('[') ? `${schema}${path}` : `${schema}.${path}`;
}

/**
 * The schema-registry checks for a new agent version:
 *  - BACKWARD on its input: it must read everything the previous version's input schema allowed,
 *    since events written for the old version may still be on the topics it will consume;
 *  - FORWARD on its output: every consumer (latest version of each agent requiring an event type
 *    this one publishes, exactly or by a pattern such as `content.*`) must be able to read what the new output schema allows.
 */
export function definitionIncompatibilities(
  candidate: Definition,
  previous: Definition | undefined,
  consumers: readonly Definition[],
): DefinitionIncompatibility[] {
  const out: DefinitionIncompatibility[] = [];
  if (previous !== undefined) {
    const labels = { writer: `${previous.name} ${previous.version} input`, reader: `${candidate.name} ${candidate.version} input` };
    for (const v of findIncompatibilities(previous.inputSchema, candidate.inputSchema, labels)) {
      out.push({ field: fieldOf('inputSchema', v.path), rule: v.rule, message: v.message, check: 'BACKWARD', against: `${previous.name} ${previous.version}` });
    }
  }
  // A self-consuming agent reads its own new output with its own new input.
  const readers = consumers.filter((c) => c.name !== candidate.name);
  if (consumed(candidate.requires, candidate.publishes).length) readers.push(candidate);
  for (const consumer of readers) {
    const events = consumed(consumer.requires, candidate.publishes);
    if (events.length === 0) continue;
    const against = `consumer ${consumer.name} ${consumer.version} (${events.join(', ')})`;
    const labels = { writer: `${candidate.name} ${candidate.version} output`, reader: `consumer ${consumer.name} ${consumer.version} input` };
    for (const v of findIncompatibilities(candidate.outputSchema, consumer.inputSchema, labels)) {
      out.push({ field: fieldOf('outputSchema', v.path), rule: v.rule, message: v.message, check: 'FORWARD', against });
    }
  }
  return out;
}
