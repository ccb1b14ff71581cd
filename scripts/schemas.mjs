// Writes schemas/app.schema.json from the app vocabulary (src/api/app-vocabulary.ts and
// app-widgets.ts), as built in dist/: `npm run schemas` after a change to the table.
// test/app-schema.test.ts fails while the committed file differs from what the table makes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { appSchemaText } = await import(pathToFileURL(join(root, 'dist', 'api', 'app-schema.js')).href);
writeFileSync(join(root, 'schemas', 'app.schema.json'), appSchemaText());
console.log('wrote schemas/app.schema.json');
