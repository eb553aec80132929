import { runJobStarted } from './started.js';
process.exitCode = await runJobStarted(process.env);
