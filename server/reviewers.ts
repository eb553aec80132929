// Reviewer credentials for the server's own API and review page. (Reviewers approving on GitHub are
// identified by GitHub; these are for the API channel and the CLI.)
import { newCredential, sha256Hex } from '../lib/digest.js';
import { GuardError } from '../lib/errors.js';
import type { Reviewer } from './approvals.js';
import { bearer } from './sessions.js';
import type { Database } from './storage/database.js';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** Registers (or re-keys) a reviewer and returns the new credential; the old one stops working. */
export async function addReviewer(db: Database, login: string): Promise<string> {
  if (!LOGIN.test(login)) throw new GuardError('BAD_INPUT', `guard: '${login}' is not a GitHub login`);
  const credential = newCredential('gr');
  await db.query(
    `insert into reviewers (login, credential_sha256) values ($1, $2)
     on conflict (login) do update set credential_sha256 = excluded.credential_sha256, created_at = now()`,
    [login.toLowerCase(), sha256Hex(credential)],
  );
  return credential;
}

export async function authenticateReviewer(
  db: Database,
  authorization: string | undefined,
): Promise<Reviewer> {
  const credential = bearer(authorization);
  if (!credential?.startsWith('gr_')) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: deciding an approval needs a reviewer credential (see `guard reviewer add`)',
    );
  }
  const { rows } = await db.query<{ login: string }>(
    'select login from reviewers where credential_sha256 = $1',
    [sha256Hex(credential)],
  );
  const row = rows[0];
  if (!row) throw new GuardError('FORBIDDEN', 'guard: the reviewer credential is not known to this server');
  return { login: row.login };
}
