/**
 * The agent-runner: hosts the agents of the workflows in WEAVER_WORKFLOWS on Kafka, each step
 * exactly once (consume → think via the router → publish + commit in one transaction).
 * SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register apps/agent-runner/src/main.ts
 */
import './tracing';
import 'reflect-metadata';
import { bootstrapService } from '@weaver/service-kit';
import { agentRunnerConfigSchema } from './agent-runner.config';
import { AgentRunnerModule } from './agent-runner.module';

void bootstrapService({ service: 'agent-runner', module: AgentRunnerModule, configSchema: agentRunnerConfigSchema });
