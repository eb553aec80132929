// Answers "is this login a reviewer?" from GitHub: team membership for `@org/team` entries and a
// collaborator's repository permission. Answers are cached for a minute, so a burst of votes costs one
// call each; a failed call is an error (fail closed), never a yes.
import type { ReviewerDirectory } from '../context.js';
import type { GitHubClient } from './github-client.js';
import { splitRepository } from './github-client.js';
import { permissionAtLeast, type RepositoryPermission } from './github-rules.js';

const TTL_MS = 60_000;

export class GitHubReviewerDirectory implements ReviewerDirectory {
  readonly #cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly client: GitHubClient,
    private readonly now: () => number = Date.now,
  ) {}

  async isTeamMember(org: string, team: string, login: string): Promise<boolean> {
    return this.#cached(`team:${org}/${team}:${login}`.toLowerCase(), async () => {
      const octokit = await this.client.forOrganization(org);
      try {
        const { data } = await octokit.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org,
          team_slug: team,
          username: login,
        });
        // A pending invitation is not membership.
        return data.state === 'active';
      } catch (error) {
        if ((error as { status?: number }).status === 404) return false;
        throw error;
      }
    });
  }

  /** The reviewer's role on the repository: read, triage, write, maintain, admin or none. */
  async permissionOf(repository: string, login: string): Promise<string> {
    return this.#cached(`perm:${repository}:${login}`.toLowerCase(), async () => {
      const octokit = await this.client.forRepository(repository);
      const { data } = await octokit.request(
        'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
        {
          ...splitRepository(repository),
          username: login,
        },
      );
      return (data as { role_name?: string }).role_name ?? data.permission;
    });
  }

  async hasPermission(repository: string, login: string, minimum: RepositoryPermission): Promise<boolean> {
    return permissionAtLeast(await this.permissionOf(repository, login), minimum);
  }

  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.#cache.get(key);
    if (hit && this.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = load();
    value.catch(() => this.#cache.delete(key));
    this.#cache.set(key, { at: this.now(), value });
    return value;
  }
}
