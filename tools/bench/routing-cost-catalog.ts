/**
 * The catalogue and the task mix of tools/bench/routing-cost.ts, apart from the runner.
 *
 * Catalogue: the plan's own config/models.yaml VERBATIM (libs/model-router/test/fixtures/
 * plan-models.yaml: gpt-4 with tags code/analysis/vision at cost_per_token 0.00003, and the
 * unpriced self-hosted custom-llama with tag domain-specific), plus six hosted models at their
 * providers' public list prices (USD per token, mid-2025), each with the capability tags it is
 * good for. Every provider is served by its own local wire server, so the token counts billed
 * are the ones each provider's wire format reported.
 */
export const EXTRA_MODELS = `
  - name: claude-sonnet
    provider: anthropic
    model: claude-sonnet-4-20250514
    api_key_env: BENCH_KEY
    capabilities: [text, code, analysis, vision, tools, json]
    max_context: 200000
    cost: { input_per_token: 0.000003, output_per_token: 0.000015 }
  - name: claude-haiku
    provider: anthropic
    model: claude-3-5-haiku-20241022
    api_key_env: BENCH_KEY
    capabilities: [text, code, analysis, tools]
    max_context: 200000
    cost: { input_per_token: 0.0000008, output_per_token: 0.000004 }
  - name: gpt-4o-mini
    provider: openai
    api_key_env: BENCH_KEY
    capabilities: [text, code, json, tools, vision]
    max_context: 128000
    cost: { input_per_token: 0.00000015, output_per_token: 0.0000006 }
  - name: gemini-flash
    provider: gemini
    model: gemini-2.0-flash
    api_key_env: BENCH_KEY
    capabilities: [text, vision, analysis, json]
    max_context: 1000000
    cost: { input_per_token: 0.0000001, output_per_token: 0.0000004 }
  - name: mistral-small
    provider: mistral
    model: mistral-small-latest
    api_key_env: BENCH_KEY
    capabilities: [text, code, json]
    max_context: 32000
    cost: { input_per_token: 0.0000001, output_per_token: 0.0000003 }
  - name: command-r
    provider: cohere
    model: command-r-08-2024
    api_key_env: BENCH_KEY
    capabilities: [text, analysis, tools]
    max_context: 128000
    cost: { input_per_token: 0.00000015, output_per_token: 0.0000006 }
`;

/** A kind of agent step: the capabilities it needs (beyond text), a prompt, an output bound, how often it occurs. */
export interface TaskKind {
  name: string;
  needs: string[];
  prompt: string;
  maxTokens: number;
  /** Occurrences in the mix. */
  count: number;
}

// From the plan's examples: a research → write content pipeline, a sales analyst
// (Capability("analyze_sales")), capability matching "vision, code, etc.", and the self-hosted
// domain model; plus the everyday steps such pipelines are mostly made of.
export const TASKS: TaskKind[] = [
  { name: 'classify a support ticket', needs: [], prompt: 'Classify this ticket as billing, bug or question: the invoice for March was charged twice.', maxTokens: 16, count: 120 },
  { name: 'summarise research notes', needs: [], prompt: 'Summarise in two sentences: event sourcing keeps every change as an immutable event, so state can be rebuilt and audited at any time.', maxTokens: 120, count: 80 },
  { name: 'write an article section', needs: [], prompt: 'Write a paragraph for a blog post on why exactly-once delivery matters for billing pipelines.', maxTokens: 400, count: 60 },
  { name: 'extract invoice fields as JSON', needs: ['json'], prompt: 'Extract vendor, date and total as JSON from: ACME Corp, 2025-03-14, total 1,240.00 EUR.', maxTokens: 80, count: 60 },
  { name: 'write a function', needs: ['code'], prompt: 'Write a TypeScript function that merges two sorted arrays of numbers into one sorted array.', maxTokens: 300, count: 40 },
  { name: 'review a code diff', needs: ['code', 'analysis'], prompt: 'Review this diff for bugs: - if (a > b) return a; + if (a >= b) return b;', maxTokens: 250, count: 30 },
  { name: 'analyse sales figures', needs: ['analysis'], prompt: 'Analyse: Q1 sales 1.2M, Q2 1.5M, Q3 1.1M, Q4 1.9M. Which quarter underperformed and why might that be?', maxTokens: 300, count: 40 },
  { name: 'describe a chart image', needs: ['vision'], prompt: 'Describe the attached bar chart of monthly active users.', maxTokens: 150, count: 20 },
  { name: 'read a chart and analyse it', needs: ['vision', 'analysis'], prompt: 'From the attached revenue chart, identify the trend and one anomaly.', maxTokens: 250, count: 15 },
  { name: 'call a CRM tool', needs: ['tools'], prompt: 'Look up the account status of customer 4711.', maxTokens: 60, count: 25 },
  { name: 'answer from internal policy', needs: ['domain-specific'], prompt: 'Under our travel policy, may a contractor book business class for a 7 hour flight?', maxTokens: 120, count: 10 },
];
