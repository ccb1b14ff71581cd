// The CLI as it runs: src/cli.ts and our own modules it reaches, bundled by rolldown into dist/cli.js
// with the modules a command loads lazily split into dist/chunks/. A command then starts from a few
// files, not a hundred (~60 ms less CPU a run). Packages in node_modules stay outside the bundle.
// tsc still builds the rest of dist/ (the library entry dist/index.js and its types); tsc type-checks.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  cwd: root,
  input: { cli: join(root, 'src', 'cli.ts') },
  platform: 'node',
  tsconfig: join(root, 'tsconfig.build.json'),
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  // Only our own files are bundled: a bare specifier (a package, node:*) is loaded as it is.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(id),
  output: {
    dir: join(root, 'dist'),
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  logLevel: 'warn',
});
