import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudEventTriggerJsonSchema } from './cloudevent-trigger.schema';

const DOC = join(__dirname, '../../../docs/triggers.md');
const START = '<!-- cloudevent-trigger-schema:start -->';
const END = '<!-- cloudevent-trigger-schema:end -->';

describe('docs/triggers.md', () => {
  it('shows the JSON Schema generated from the zod schema', () => {
    const doc = readFileSync(DOC, 'utf8');
    const [before, rest] = doc.split(START);
    const after = rest?.split(END)[1];
    expect(after).toBeDefined();
    const block = `${START}\n\`\`\`json\n${JSON.stringify(cloudEventTriggerJsonSchema(), null, 2)}\n\`\`\`\n${END}`;
    const current = `${START}${rest!.split(END)[0]}${END}`;
    if (process.env['WEAVER_UPDATE_DOCS'] === '1' && current !== block) writeFileSync(DOC, `${before}${block}${after}`);
    else expect(current).toBe(block);
  });
});
