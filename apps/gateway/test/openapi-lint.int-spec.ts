import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GATEWAY_OPENAPI } from '../src/openapi.http-controller';

const root = join(__dirname, '..', '..', '..');
// .redocly.lint-ignore.yaml names its two ignored places under this path (relative to the config).
const file = join(root, 'dist', 'openapi', 'openapi.json');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
}

/**
 * The gateway's OpenAPI document (what GET /openapi.json serves) through the real linter,
 * Redocly CLI with the recommended ruleset (redocly.yaml): no error, no warning.
 */
describe('the OpenAPI document, linted by redocly', () => {
  it('has no problem under the recommended ruleset', async () => {
    mkdirSync(join(root, 'dist', 'openapi'), { recursive: true });
    writeFileSync(file, JSON.stringify(GATEWAY_OPENAPI, null, 2));
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    // Exit code 1 on errors; the JSON report says which, so read it either way.
    const run = promisify(execFile)('npx', ['redocly', 'lint', '--config', 'redocly.yaml', '--format', 'json', 'dist/openapi/openapi.json'], { cwd: root, env, maxBuffer: 16 << 20 });
    const { stdout } = await run.catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 2 });
  }, 120_000);

  it('documents every route with its auth, an error body, and OpenAPI 3.1', () => {
    const doc = GATEWAY_OPENAPI as unknown as { openapi: string; paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'apiKey', 'bearer', 'capability']);
    expect(doc.paths['/v1/runs']?.['post']?.responses['400']).toEqual({ description: expect.any(String), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
    expect(doc.paths['/v1/runs/{runId}/result']?.['get']?.security).toEqual([{ apiKey: [] }, { bearer: [] }, { capability: [] }]);
    expect(doc.paths['/openapi.json']?.['get']?.security).toEqual([]);
  });
});
