// The server acting as the GitHub App: App JWT for the /app endpoints, installation tokens (exchanged and
// cached by octokit) for everything in a repository or organization. Installation ids are cached in
// memory only: any replica can look them up again, so no replica depends on another's cache.
import { App, Octokit } from 'octokit';
import type { GitHubAppConfig } from './config.js';

export type InstallationOctokit = Awaited<ReturnType<App['getInstallationOctokit']>>;

export class GitHubClient {
  readonly app: App;
  readonly #installations = new Map<string, Promise<number>>();

  /**
   * `throttle: false` turns off octokit's pacing of writes (about one a second, GitHub's advice against
   * secondary rate limits); only tests against the stand-in should do that.
   */
  constructor(
    readonly config: GitHubAppConfig,
    options: { throttle?: boolean } = {},
  ) {
    this.app = new App({
      appId: config.appId,
      privateKey: config.privateKey,
      Octokit: Octokit.defaults({
        baseUrl: config.apiUrl,
        // Webhook work runs in the background with a budget; a slow API must not hold it for minutes.
        request: { retries: 1 },
        ...(options.throttle === false ? { throttle: { enabled: false } } : {}),
      }),
    });
  }

  /** An octokit for the installation that serves `owner/repo`. */
  async forRepository(repository: string, installationId?: number): Promise<InstallationOctokit> {
    return this.app.getInstallationOctokit(
      installationId ?? (await this.installationOf(`repo:${repository}`)),
    );
  }

  /** An octokit for the installation on an organization (team membership needs the org's installation). */
  async forOrganization(org: string): Promise<InstallationOctokit> {
    return this.app.getInstallationOctokit(await this.installationOf(`org:${org}`));
  }

  /** Seeds the cache from a webhook's `installation.id`, saving a lookup. */
  remember(repository: string, installationId: number): void {
    this.#installations.set(`repo:${repository.toLowerCase()}`, Promise.resolve(installationId));
  }

  private installationOf(key: string): Promise<number> {
    const normalised = key.toLowerCase();
    let pending = this.#installations.get(normalised);
    if (!pending) {
      const [kind, name = ''] = normalised.split(/:(.*)/s);
      pending = (async () => {
        if (kind === 'org') {
          const { data } = await this.app.octokit.request('GET /orgs/{org}/installation', { org: name });
          return data.id;
        }
        const [owner = '', repo = ''] = name.split('/');
        const { data } = await this.app.octokit.request('GET /repos/{owner}/{repo}/installation', {
          owner,
          repo,
        });
        return data.id;
      })();
      // A failed lookup is not cached: the App may be installed a minute later.
      pending.catch(() => this.#installations.delete(normalised));
      this.#installations.set(normalised, pending);
    }
    return pending;
  }
}

export function splitRepository(repository: string): { owner: string; repo: string } {
  const [owner = '', repo = ''] = repository.split('/');
  return { owner, repo };
}
