import { projectNames, toKebab } from './project-names';
import { renderTemplate, targetPath } from './template-render';

describe('projectNames', () => {
  it('derives every name from the directory and the flags', () => {
    expect(projectNames('/x/My Agents', {})).toEqual({
      projectName: 'my-agents', agentName: 'summarizer', AgentClass: 'Summarizer', capability: 'summarizer', workflowName: 'my-agents', workflowVar: 'myAgentsWorkflow',
    });
    expect(projectNames('/x/p', { name: 'sales-analyst', workflow: 'quarterly-report' })).toMatchObject({ AgentClass: 'SalesAnalyst', capability: 'sales_analyst', workflowName: 'quarterly-report', workflowVar: 'quarterlyReportWorkflow' });
  });

  it('never shadows what the template imports', () => {
    expect(projectNames('/x/p', { name: 'agent' }).AgentClass).toBe('AgentAgent');
    expect(projectNames('/x/p', { name: 'workflow' }).AgentClass).toBe('WorkflowAgent');
  });

  it('names the flag and the rule for bad names', () => {
    expect(() => projectNames('/x/p', { name: 'Sales_Analyst' })).toThrow('--name: the agent name must be kebab-case ([a-z][a-z0-9-]*), got "Sales_Analyst"');
    expect(() => projectNames('/x/p', { workflow: '9lives' })).toThrow(/^--workflow: the workflow name must be kebab-case/);
    expect(() => projectNames('/x/123', {})).toThrow(/<dir>: cannot derive a workflow name from "123"/);
  });

  it.each([
    ['MyAgents', 'my-agents'],
    ['my_agents 2', 'my-agents-2'],
    ['--x--', 'x'],
    ['2fast', 'fast'],
  ])('toKebab(%s) = %s', (input, out) => expect(toKebab(input)).toBe(out));
});

describe('renderTemplate', () => {
  it('replaces placeholders, escaping values inside JSON files', () => {
    expect(renderTemplate('class {{AgentClass}} {}', { AgentClass: 'Foo' }, 'a.ts')).toBe('class Foo {}');
    expect(renderTemplate('{"p": "{{path}}"}', { path: 'C:\\x "y"' }, 'package.json')).toBe('{"p": "C:\\\\x \\"y\\""}');
  });

  it('refuses an unknown placeholder, naming it and the file', () => {
    expect(() => renderTemplate('{{agentNmae}}', { agentName: 'x' }, 'src/a.ts')).toThrow('template src/a.ts uses an unknown placeholder {{agentNmae}}');
  });

  it('maps template paths to project paths', () => {
    expect(targetPath('src/agents/__agent__.agent.ts.tmpl', 'writer')).toBe('src/agents/writer.agent.ts');
    expect(targetPath('gitignore.tmpl', 'writer')).toBe('.gitignore');
  });
});
