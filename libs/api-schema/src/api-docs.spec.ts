import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_ROUTES } from './routes';

/** "METHOD /path" of each row of docs/api.md's route table (`| GET | \`/v1/runs/{runId}\` | ...`). */
function documentedRoutes(markdown: string): string[] {
  return [...markdown.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
}

describe('docs/api.md', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/api.md'), 'utf8');

  it('lists exactly the routes of API_ROUTES, with their methods and paths', () => {
    const documented = documentedRoutes(doc);
    const declared = API_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect({ missingFromDocs: declared.filter((r) => !documented.includes(r)), notARoute: documented.filter((r) => !declared.includes(r)) }).toEqual({ missingFromDocs: [], notARoute: [] });
    expect(documented.length).toBe(new Set(documented).size);
  });

  it('points at the generated reference', () => {
    expect(doc).toContain('GET /openapi.json');
  });
});
