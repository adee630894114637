import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Question = z.object({ question: z.string().min(1), file: z.string().min(1) });
const Answer = z.object({ answer: z.string(), rounds: z.number(), toolsSeen: z.array(z.string()) });

/**
 * Answers from a document it reads through an MCP server (server-filesystem here). It may see
 * and call only what it is granted (`tools`), deny by default; the model picks the calls
 * (`this.tools.run` is the tool-use loop), and a retried step gets its recorded tool answers
 * instead of calling the tools again.
 */
@agent({ name: 'docs-assistant', requires: ['docs-assistant.requested'], publishes: ['docs.answered'], tools: ['fs/read_text_file', 'fs/list_directory'], input: Question, output: Answer })
export class DocsAssistant extends Agent<z.infer<typeof Question>> {
  async process({ question, file }: z.infer<typeof Question>) {
    const loop = await this.tools.run({ prompt: `Answer "${question}" from the file ${file}.`, maxRounds: 4 });
    return { answer: loop.text, rounds: loop.rounds, toolsSeen: [...(await this.tools.list())].sort() };
  }
}

export const docsAssistant = new Workflow('docs-assistant').addAgents(DocsAssistant);

export default [docsAssistant];
