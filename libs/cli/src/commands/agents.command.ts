import { EXIT, type ExitCode } from '../cli-error';
import { formatAgentsTable } from '../output/agent-view';
import type { CommandContext } from './command-context';

/** `weaver agents`: registered agents with their capabilities, instances and health. */
export async function agentsCommand(ctx: CommandContext, flags: { capability?: string; requiresEvent?: string }): Promise<ExitCode> {
  const agents = await ctx.gateway.listAgents({ capability: flags.capability, requiresEvent: flags.requiresEvent });
  if (ctx.output.json) ctx.json({ agents });
  else ctx.out(formatAgentsTable(agents, ctx.style));
  return EXIT.ok;
}
