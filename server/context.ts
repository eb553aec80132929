// What every server operation needs, built once at start and passed down.
import type { ServerConfig } from './config.js';
import type { TrustedIssuers } from './oidc/trusted-issuers.js';
import type { PolicySet } from '../policies/types.js';
import type { Database } from './storage/database.js';
import type { ApprovalWaiters } from './approval-waiters.js';
import type { ApprovalEvents } from './approval-events.js';

export interface ServerContext {
  config: ServerConfig;
  db: Database;
  issuers: TrustedIssuers;
  policies: PolicySet;
  waiters: ApprovalWaiters;
  approvalEvents: ApprovalEvents;
  /** Resolves `@org/team` reviewer entries; set when the GitHub App is configured. */
  reviewerDirectory?: ReviewerDirectory;
  now: () => Date;
  log: (line: string) => void;
}

export interface ReviewerDirectory {
  isTeamMember(org: string, team: string, login: string): Promise<boolean>;
}
