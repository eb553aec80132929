import { cleanup } from './run-post.js';

await cleanup();
