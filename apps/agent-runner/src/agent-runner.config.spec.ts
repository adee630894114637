import { loadConfig } from '@weaver/config';
import { agentRunnerConfigSchema } from './agent-runner.config';

const env = { DATABASE_URL: 'postgres://weaver_agent_runner:pw@db:5432/weaver', ROUTER_URL: 'router:50052', PUBLISHER_URL: 'publisher:50054', TENANCY_URL: 'tenancy:50055' };

describe('agent-runner config: WEAVER_AGENTS and WEAVER_DISPATCH', () => {
  it('defaults to every agent and dispatching; parses only- and except-lists', () => {
    expect(loadConfig(agentRunnerConfigSchema, env)).toMatchObject({ WEAVER_AGENTS: { kind: 'all' }, WEAVER_DISPATCH: true });
    expect(loadConfig(agentRunnerConfigSchema, { ...env, WEAVER_AGENTS: 'writer, reviewer', WEAVER_DISPATCH: 'false' })).toMatchObject({ WEAVER_AGENTS: { kind: 'only', names: ['writer', 'reviewer'] }, WEAVER_DISPATCH: false });
    expect(loadConfig(agentRunnerConfigSchema, { ...env, WEAVER_AGENTS: '!writer' }).WEAVER_AGENTS).toEqual({ kind: 'except', names: ['writer'] });
  });

  it('refuses a mixed list at start, naming the variable', () => {
    expect(() => loadConfig(agentRunnerConfigSchema, { ...env, WEAVER_AGENTS: 'writer,!reviewer' })).toThrow(/WEAVER_AGENTS: list agents to host \(a,b\) or agents to leave out \(!a,!b\), not both/);
  });
});
