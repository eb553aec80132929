import { runJobCompleted } from './completed.js';
process.exitCode = await runJobCompleted(process.env);
