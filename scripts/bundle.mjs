// The CLI as it runs: src/cli.ts and our own modules it reaches, bundled by rolldown into dist/cli.js
// with the modules a command loads lazily split into dist/chunks/. A command then starts from a few
// files, not a hundred (~60 ms less CPU a run). Packages in node_modules stay outside the bundle.
// tsc builds the rest of dist/ first (the library entry dist/index.js and its types), and this
// script takes the schemas from there: the bundle's src/util/precompiled.ts is the validation code
// ajv generates from them, so no run compiles a schema to check a valid file (~100 ms a run).
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { precompiledModules } from './precompile.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const precompiled = await precompiledModules(root);
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  cwd: root,
  input: { cli: join(root, 'src', 'cli.ts') },
  platform: 'node',
  tsconfig: join(root, 'tsconfig.build.json'),
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  // Only our own files are bundled: a bare specifier (a package, node:*) is loaded as it is.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id),
  plugins: [
    {
      name: 'precompiled-validators',
      load(id) {
        return id in precompiled ? { code: precompiled[id], moduleType: 'js' } : null;
      },
    },
  ],
  output: {
    dir: join(root, 'dist'),
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
    // Comments are for the sources (the source maps lead there): V8 would scan every one at each start.
    comments: false,
  },
  logLevel: 'warn',
});
