// Shared Jest settings: SWC compiles TypeScript with decorator metadata (NestJS DI needs it),
// and the tsconfig path aliases map to library sources so tests never need a build.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
// jose (and @mistralai/mistralai) ship ES modules only; Node 20 require()s them natively, Jest's module system does not,
// so Jest compiles those packages to CommonJS like our own sources (@kubernetes/client-node 1.x
// and its OIDC dependencies are ES modules too: the operator's specs load it).
const esmPackages = ['jose', '@kubernetes/client-node', 'openid-client', 'oauth4webapi', '@mistralai/mistralai'];
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = `<rootDir>/${target}`;
}

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    [`/node_modules/(${esmPackages.join('|')})/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.weaver/'],
  // Built packages (dist/packages/sdk: tools/sdk-package) and build staging carry package.json files of their own.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/tmp/'],
};
