import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run-main.js';

await run(dirname(fileURLToPath(import.meta.url)));
