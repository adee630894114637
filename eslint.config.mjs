// Lint: TypeScript rules plus the architecture as enforced constraints.
// - Nx tags: apps depend on libs, never on each other; platform libs never depend on features.
// - Vendor clients stay behind one wrapper each: kafkajs only in libs/messaging/src/kafka (the
//   transport; the rest of Weaver sees KafkaConnection and Weaver's record types), opossum only
//   in resilience, prom-client only in observability.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const vendorBans = [
  { name: 'kafkajs', message: 'Only libs/messaging/src/kafka may import kafkajs: use @weaver/messaging (KafkaConnection, InboundRecord, EventProducer, ...).' },
  { name: 'opossum', message: 'Only libs/resilience may import opossum: use @weaver/resilience.' },
  { name: 'prom-client', message: 'Only libs/observability may import prom-client: use @weaver/observability.' },
];
const except = (name) => ({ paths: vendorBans.filter((b) => b.name !== name) });

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.weaver/**', 'libs/contracts/src/gen/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: vendorBans }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts'] },
            { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts', 'type:testing'] },
            { sourceTag: 'type:example', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts', 'type:testing'] },
          ],
        },
      ],
    },
  },
  {
    // The transport folder (EosProcessor and PartitionWorker included); the test that pins
    // kafkajs' behaviour; the broker tool's readiness probe (it runs below the event
    // layer); the benchmark's raw-kafkajs baseline.
    files: [
      'libs/messaging/src/kafka/**/*.ts',
      'libs/messaging/test/kafka-compat.int-spec.ts',
      // raw kafkajs zombies and readers checked against librdkafka (issue 7 §5)
      'libs/messaging/test/eos-fencing.int-spec.ts',
      'libs/messaging/test/read-committed-oracle.int-spec.ts',
      'tools/kafka/**/*.ts',
      'tools/bench/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', except('kafkajs')] },
  },
  { files: ['libs/resilience/**/*.ts'], rules: { 'no-restricted-imports': ['error', except('opossum')] } },
  { files: ['libs/observability/**/*.ts'], rules: { 'no-restricted-imports': ['error', except('prom-client')] } },
  {
    // Tests (not the code under test) may use the test harness and the examples.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: ['type:app', 'type:feature', 'type:platform', 'type:contracts', 'type:testing', 'type:example', 'type:tool'].map((tag) => ({
            sourceTag: tag,
            onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts', 'type:testing', 'type:example'],
          })),
        },
      ],
    },
  },
];
