import { workflow } from './workflow';

/**
 * The plan's last line, `result = await workflow.run(topic="AI Safety")`, against a running
 * platform: `WEAVER_URL=... WEAVER_API_KEY=... npx tsx examples/plan-content-pipeline/run.ts`
 * (the agent-runner must host `examples/plan-content-pipeline/workflow.ts`).
 */
async function main(): Promise<void> {
  const result = await workflow.run({ topic: 'AI Safety' });
  console.log(result);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
