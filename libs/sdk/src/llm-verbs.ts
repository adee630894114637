import type { LlmClient, LlmRequest } from './llm';

/**
 * A plan "verb" on `this.llm` (`this.llm.research(topic)`, `this.llm.write_article(research)`):
 * one `generate` call whose system prompt names the task; resolves with the answer's text.
 * The input is sent as is when it is a string, else as JSON.
 */
export type LlmVerb = (input: unknown, options?: Omit<LlmRequest, 'prompt' | 'messages'>) => Promise<string>;

/**
 * The verbs the plan uses, typed exactly. Any other name works too (the index signature), but
 * under `noUncheckedIndexedAccess` TypeScript types it `LlmVerb | undefined`: name it here by
 * declaration merging (`declare module '@weaver/sdk' { interface LlmVerbs { triage: LlmVerb } }`).
 */
export interface LlmVerbs {
  [verb: string]: LlmVerb;
  /** `this.llm.research(input)`: a generate whose system prompt is "Task: research". */
  research: LlmVerb;
  /** `this.llm.write_article(input)`: a generate whose system prompt is "Task: write article". */
  write_article: LlmVerb;
  /** `this.llm.review(input)`: a generate whose system prompt is "Task: review". */
  review: LlmVerb;
  /** `this.llm.analyze(input)`: a generate whose system prompt is "Task: analyze". */
  analyze: LlmVerb;
  /** `this.llm.summarize(input)`: a generate whose system prompt is "Task: summarize". */
  summarize: LlmVerb;
  /** `this.llm.classify(input)`: a generate whose system prompt is "Task: classify". */
  classify: LlmVerb;
  /** `this.llm.extract(input)`: a generate whose system prompt is "Task: extract". */
  extract: LlmVerb;
  /** `this.llm.translate(input)`: a generate whose system prompt is "Task: translate". */
  translate: LlmVerb;
}

/** `this.llm`: the typed client plus any verb. */
export type AgentLlm = LlmClient & LlmVerbs;

/** The system prompt of a verb: `write_article` → "Task: write article. …". */
export function verbInstruction(verb: string): string {
  return `Task: ${verb.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase()}. Answer with the result only.`;
}

/** A verb name: a lowercase identifier (`research`, `write_article`, `writeArticle`). */
const VERB = /^[a-z][A-Za-z0-9_]*$/;
/** Names that libraries probe objects for (await, JSON, test matchers, DOM checks): never verbs. */
const PROBED = new Set(['then', 'toJSON', 'asymmetricMatch', 'nodeType', 'inspect']);

/**
 * The client with verbs: known members pass through, any other verb-like name is a verb.
 * Made once per step (the runtime's client is per step), not per access.
 */
export function withVerbs(client: LlmClient): AgentLlm {
  const verbs = new Map<string, LlmVerb>();
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (typeof prop !== 'string' || prop in target || PROBED.has(prop) || !VERB.test(prop)) return Reflect.get(target, prop, receiver) as unknown;
      let verb = verbs.get(prop);
      if (!verb) {
        verb = async (input, options = {}) => {
          const system = [verbInstruction(prop), options.system].filter(Boolean).join('\n\n');
          const prompt = typeof input === 'string' ? input : JSON.stringify(input);
          return (await target.generate({ ...options, system, prompt })).text;
        };
        verbs.set(prop, verb);
      }
      return verb;
    },
  }) as AgentLlm;
}
