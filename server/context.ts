// What every server operation needs, built once at start and passed down.
import type { ServerConfig } from './config.js';
import type { TrustedIssuers } from './oidc/trusted-issuers.js';
import type { PolicySet } from '../policies/types.js';
import type { Database } from './storage/database.js';
import type { ApprovalWaiters } from './approval-waiters.js';

export interface ServerContext {
  config: ServerConfig;
  db: Database;
  issuers: TrustedIssuers;
  policies: PolicySet;
  waiters: ApprovalWaiters;
  now: () => Date;
  log: (line: string) => void;
}
