// The runner hooks' side of the server: runner credentials, job-started decisions, job-completed reports.
import type { ServerExtension } from '../extension.js';

export const runnerExtension: ServerExtension = {
  name: 'runner-hooks',
  async install() {
    return undefined;
  },
};
