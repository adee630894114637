import { Agent, agent, Workflow, z } from '@weaver/sdk';

/** What the schedule gives each run: the tick, plus the input declared with the trigger. */
const Tick = z.object({ scheduledAt: z.string().datetime(), team: z.string() });
const Digest = z.object({ team: z.string(), day: z.string(), items: z.array(z.string()), text: z.string() });

/** Yesterday's items for a team; a real one would query the issue tracker. */
export function itemsOf(team: string, day: string): string[] {
  return [`${team}: 3 pull requests merged on ${day}`, `${team}: 1 incident closed on ${day}`];
}

/** Runs every weekday at 07:00 UTC, exactly once per tick however many runners host it. */
@agent({ name: 'digest-writer', requires: ['daily-digest.requested'], publishes: ['digest.written'], input: Tick, output: Digest })
export class DigestWriter extends Agent<z.infer<typeof Tick>> {
  async process({ scheduledAt, team }: z.infer<typeof Tick>) {
    // The digest covers the day before the tick (UTC).
    const day = new Date(Date.parse(scheduledAt) - 86_400_000).toISOString().slice(0, 10);
    const items = itemsOf(team, day);
    const { text } = await this.llm.generate({ system: 'Summarise for a morning stand-up.', prompt: items.join('\n') });
    return { team, day, items, text };
  }
}

export const dailyDigest = new Workflow('daily-digest').addAgents(DigestWriter).setTrigger({ kind: 'schedule', cron: '0 7 * * 1-5', input: { team: 'platform' } });

export default [dailyDigest];
