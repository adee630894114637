import { CliError } from '../cli-error';

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/**
 * Replaces `{{name}}` placeholders. Values are escaped for the target file (JSON strings in
 * .json files); an unknown placeholder throws, so a typo in a template cannot reach a project.
 */
export function renderTemplate(text: string, variables: Readonly<Record<string, string>>, file: string): string {
  const escape = file.endsWith('.json') ? (v: string) => JSON.stringify(v).slice(1, -1) : (v: string) => v;
  return text.replace(PLACEHOLDER, (_match, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new CliError('INTERNAL', `template ${file} uses an unknown placeholder {{${name}}}`, `known: ${Object.keys(variables).join(', ')}`);
    return escape(value);
  });
}

/** "src/agents/__agent__.agent.ts.tmpl" → "src/agents/summarizer.agent.ts"; "gitignore.tmpl" → ".gitignore". */
export function targetPath(templatePath: string, agentName: string): string {
  const path = templatePath.replace(/\.tmpl$/, '').replace(/__agent__/g, agentName);
  return path === 'gitignore' ? '.gitignore' : path;
}
