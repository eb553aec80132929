// What every server operation needs, built once at start and passed down.
import type { ServerConfig } from './config.js';
import type { TrustedIssuers } from './oidc/trusted-issuers.js';
import type { JobContext, PolicySet } from '../policies/types.js';
import type { JobClaims } from '../lib/claims.js';
import type { Database } from './storage/database.js';
import type { ApprovalWaiters } from './approval-waiters.js';
import type { ApprovalEvents } from './approval-events.js';
import type { SecretBox } from './secret-box.js';

export interface ServerContext {
  config: ServerConfig;
  db: Database;
  issuers: TrustedIssuers;
  policies: PolicySet;
  waiters: ApprovalWaiters;
  approvalEvents: ApprovalEvents;
  /** Seals what the server keeps secret at rest (signing keys). */
  secrets: SecretBox;
  /** Resolves `@org/team` reviewer entries; set when the GitHub App is configured. */
  reviewerDirectory?: ReviewerDirectory;
  /** Facts about a job its token does not carry (is the pull request from a fork?); set by the GitHub App. */
  jobFacts?: (claims: JobClaims) => Promise<JobContext>;
  now: () => Date;
  log: (line: string) => void;
}

export interface ReviewerDirectory {
  isTeamMember(org: string, team: string, login: string): Promise<boolean>;
  /** Whether `login` holds at least `minimum` (read, triage, write, maintain, admin) on `repository`. */
  hasPermission(
    repository: string,
    login: string,
    minimum: 'read' | 'triage' | 'write' | 'maintain' | 'admin',
  ): Promise<boolean>;
}
