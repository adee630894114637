import { Agent, agent, z } from './index';
import { definitionOf, partSchemaOf } from './internal';

describe('@agent', () => {
  it('derives JSON Schemas for the registry: input as producers send it, output as consumers get it', () => {
    const In = z.object({ topic: z.string(), depth: z.number().default(1) });
    const Out = z.object({ words: z.number().default(0) });
    @agent({ name: 'schema-agent', requires: ['s.in'], publishes: ['s.out'], input: In, output: Out })
    class SchemaAgent extends Agent<typeof In, typeof Out> {
      async process() {
        return { words: 1 };
      }
    }
    const def = definitionOf(SchemaAgent);
    // With a default, a field is optional to whoever sends it but always present to whoever reads it.
    expect(def.inputJsonSchema?.['required']).toEqual(['topic']);
    expect(def.outputJsonSchema?.['required']).toEqual(['words']);
    expect(def.joins).toBe(false);
    expect(def.limits).toEqual({ maxConcurrency: 64, timeoutMs: 60_000 });
    expect(def.tools).toEqual([]); // deny by default: no tools unless granted
  });

  it('gives a join agent an input keyed by event type and finds each part\'s schema', () => {
    const Joined = z.object({ 'sales.collected': z.object({ total: z.number() }), 'targets.set': z.object({ target: z.number() }) });
    @agent({ name: 'join-agent', requires: ['sales.collected', 'targets.set'], publishes: ['gap.found'], input: Joined })
    class JoinAgent extends Agent<z.infer<typeof Joined>> {
      async process(): Promise<unknown> {
        return null;
      }
    }
    const def = definitionOf(JoinAgent);
    expect(def.joins).toBe(true);
    expect(partSchemaOf(def, 'targets.set')?.safeParse({ target: 3 }).success).toBe(true);
    expect(partSchemaOf(def, 'targets.set')?.safeParse({ target: 'x' }).success).toBe(false);
  });

  it('refuses a join input that is not keyed by the required types, bad limits, and duplicate types', () => {
    const declare = (config: Parameters<typeof agent>[0]) => () =>
      agent(config)(
        class Bad extends Agent {
          async process(): Promise<unknown> {
            return null;
          }
        },
      );
    expect(declare({ name: 'j', requires: ['a.one', 'a.two'], publishes: [], input: z.object({ 'a.one': z.string() }) })).toThrow(
      /input: an agent requiring several event types gets them keyed by type, so input must be z.object\(\{ "a.one": \.\.\., "a.two": \.\.\. \}\)/,
    );
    expect(declare({ name: 'l', requires: ['a.one'], publishes: [], limits: { maxConcurrency: 0, timeoutMs: 1.5 } })).toThrow(/limits.maxConcurrency: must be a positive integer, got 0[\s\S]*limits.timeoutMs: must be a positive integer, got 1.5/);
    expect(declare({ name: 'd', requires: ['a.one', 'a.one'], publishes: [] })).toThrow(/requires: lists an event type twice/);
    expect(declare({ name: 'Bad_Name', requires: ['A'], publishes: [] })).toThrow(/name: must be kebab-case[\s\S]*requires\[0\]: must be lowercase words separated by dots/);
    expect(declare({ name: 't', requires: ['a.one'], publishes: [], tools: ['fs/read_file', '*', 'fs/read_file'] })).toThrow(/tools\[1\]: must be "<server>\/<tool>" or "<server>\/\*"[\s\S]*tools: lists a grant twice/);
  });
});
