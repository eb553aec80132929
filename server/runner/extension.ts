// The runner hooks' side of the server: runner credentials, job-started decisions, job-completed reports.
// Always on: the routes answer only to registered runner credentials, so an unused extension is inert.
import type { ServerExtension } from '../extension.js';
import { addRunnerRoutes } from './routes.js';

export const runnerExtension: ServerExtension = {
  name: 'runner-hooks',
  async install(ctx, router) {
    addRunnerRoutes(ctx, router);
    return undefined;
  },
};
