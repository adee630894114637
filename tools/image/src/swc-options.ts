import type { Options } from '@swc/core';

/**
 * The SWC settings the services already run and are tested with (jest.shared.js,
 * @swc-node/register): legacy decorators with decorator metadata, which NestJS's dependency
 * injection reads. `paths` rewrites the `@weaver/*` aliases of tsconfig.base.json into relative
 * requires at compile time, so the output needs no resolver hook at run time.
 */
export function swcOptions(root: string, paths: Record<string, string[]>, filename: string): Options {
  return {
    filename,
    swcrc: false,
    configFile: false,
    // No source maps: they would name the build machine's paths and the image has no sources.
    sourceMaps: false,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths,
    },
    module: { type: 'commonjs' },
  };
}
