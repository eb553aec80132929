// What the GitHub App side of the stand-in remembers: installations and their tokens, check runs, issue
// comments, org teams, collaborator permissions and deployment protection rule reviews. Tests read and
// seed it directly; the routes keep it the way GitHub would.

export interface Installation {
  id: number;
  /** The organization or user the App is installed on. */
  account: string;
  accountType: 'Organization' | 'User';
  /** Repositories (owner/name) the installation may reach. */
  repositories: string[];
}

export interface StoredCheckRun {
  id: number;
  repository: string;
  appId: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title?: string; summary?: string; text?: string };
  actions: { label: string; description: string; identifier: string }[];
  started_at: string;
  completed_at: string | null;
  /** Every accepted create/update body, in order: tests assert "updated in place, not re-posted". */
  history: Record<string, unknown>[];
}

export interface StoredComment {
  id: number;
  repository: string;
  issue: number;
  body: string;
  /** Login of the author: the App's bot for comments the App posts. */
  user: string;
  userType: 'Bot' | 'User';
  appId: number | null;
  created_at: string;
  updated_at: string;
  /** Every body the comment has had, oldest first. */
  history: string[];
}

export interface DeploymentReview {
  repository: string;
  runId: string;
  environment_name: string;
  state: 'approved' | 'rejected';
  comment: string;
  installation: number;
  at: string;
}

export type RepositoryRole = 'read' | 'triage' | 'write' | 'maintain' | 'admin';

export class GitHubAppState {
  readonly installations = new Map<number, Installation>();
  /** Installation access token -> installation id and expiry. */
  readonly installationTokens = new Map<string, { installation: number; expiresAt: Date }>();
  readonly checkRuns = new Map<number, StoredCheckRun>();
  readonly comments = new Map<number, StoredComment>();
  /** `org/team` (lower case) -> active member logins (lower case). */
  readonly teams = new Map<string, Set<string>>();
  /** `owner/repo` (lower case) -> login (lower case) -> role. */
  readonly permissions = new Map<string, Map<string, RepositoryRole>>();
  readonly deploymentReviews: DeploymentReview[] = [];
  #nextCheckRunId = 4_200_000_001;
  #nextCommentId = 1_900_000_001;

  nextCheckRunId(): number {
    return this.#nextCheckRunId++;
  }

  nextCommentId(): number {
    return this.#nextCommentId++;
  }

  installationFor(repository: string): Installation | undefined {
    const wanted = repository.toLowerCase();
    for (const installation of this.installations.values()) {
      if (installation.repositories.some((r) => r.toLowerCase() === wanted)) return installation;
    }
    return undefined;
  }

  installationForAccount(account: string): Installation | undefined {
    for (const installation of this.installations.values()) {
      if (installation.account.toLowerCase() === account.toLowerCase()) return installation;
    }
    return undefined;
  }

  /** Comments on one issue or pull request, oldest first. */
  commentsOn(repository: string, issue: number): StoredComment[] {
    return [...this.comments.values()].filter(
      (c) => c.repository.toLowerCase() === repository.toLowerCase() && c.issue === issue,
    );
  }
}
