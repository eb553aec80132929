// The GitHub App integration: check runs and PR comments for approvals, webhooks, deployment protection
// rules. Enabled when the App is configured (see docs/github-app.md).
import type { ServerExtension } from '../extension.js';

export const githubExtension: ServerExtension = {
  name: 'github-app',
  async install() {
    return undefined;
  },
};
