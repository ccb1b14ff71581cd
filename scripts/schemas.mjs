// Writes schemas/app.schema.json from the app vocabulary (src/api/app-vocabulary.ts and
// app-widgets.ts), and schemas/app-file.schema.json from the app file's keys
// (src/flavours/apps/reading.ts), as built in dist/: `npm run schemas` after a change to either.
// test/unit/app-vocabulary.test.ts fails while a committed file differs from what the code makes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (path) => import(pathToFileURL(join(root, 'dist', ...path.split('/'))).href);
const { appSchemaText } = await load('api/app-schema.js');
const { appFileSchemaText } = await load('flavours/apps/file-schema.js');
writeFileSync(join(root, 'schemas', 'app.schema.json'), appSchemaText());
writeFileSync(join(root, 'schemas', 'app-file.schema.json'), appFileSchemaText());
console.log('wrote schemas/app.schema.json and schemas/app-file.schema.json');
