// Runner credentials: the platform team registers each self-hosted runner (name, labels) and installs the
// credential on it. Only its sha256 is stored; it can report jobs and ship recordings, never approve.
import { randomBytes } from 'node:crypto';
import { newId, sha256Hex } from '../../lib/digest.js';
import { GuardError } from '../../lib/errors.js';
import { RUNNER_CREDENTIAL_PREFIX } from '../../runner-hook/protocol.js';
import { bearer } from '../sessions.js';
import type { Queryable } from '../storage/database.js';

export interface RunnerIdentity {
  id: string;
  name: string;
  labels: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/** Registers a runner (or re-keys it: the old credential stops working) and returns the new credential. */
export async function addRunner(
  db: Queryable,
  name: string,
  labels: readonly string[],
): Promise<{ runner: RunnerIdentity; credential: string }> {
  if (!NAME.test(name))
    throw new GuardError(
      'BAD_INPUT',
      `guard: '${name}' is not a runner name (letters, digits, '_', '.', '-'; up to 100)`,
    );
  const bad = labels.filter((label) => !LABEL.test(label));
  if (bad.length > 0) throw new GuardError('BAD_INPUT', `guard: not a runner label: ${bad.join(', ')}`);
  const credential = `${RUNNER_CREDENTIAL_PREFIX}${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ id: string }>(
    `insert into runners (id, name, labels, credential_sha256) values ($1, $2, $3, $4)
     on conflict (name) do update set labels = excluded.labels, credential_sha256 = excluded.credential_sha256,
       created_at = now(), disabled_at = null
     returning id`,
    [newId(), name, JSON.stringify([...new Set(labels)]), sha256Hex(credential)],
  );
  const id = rows[0]?.id ?? '';
  return { runner: { id, name, labels: [...new Set(labels)] }, credential };
}

/** Disables a runner: its credential is refused from now on (its history stays). */
export async function disableRunner(db: Queryable, name: string): Promise<boolean> {
  const updated = await db.query(
    'update runners set disabled_at = now() where name = $1 and disabled_at is null',
    [name],
  );
  return updated.rowCount > 0;
}

export async function authenticateRunner(
  db: Queryable,
  authorization: string | undefined,
): Promise<RunnerIdentity> {
  const credential = bearer(authorization);
  if (!credential?.startsWith(RUNNER_CREDENTIAL_PREFIX)) {
    throw new GuardError(
      'FORBIDDEN',
      'guard: runner routes need a runner credential (see `guard runner add` and `guard runner-hook install`)',
    );
  }
  const { rows } = await db.query<{ id: string; name: string; labels: string[] }>(
    'select id, name, labels from runners where credential_sha256 = $1 and disabled_at is null',
    [sha256Hex(credential)],
  );
  const row = rows[0];
  if (!row)
    throw new GuardError(
      'FORBIDDEN',
      'guard: the runner credential is not known to this server (never registered, re-keyed or disabled); re-run `guard runner add` and `guard runner-hook install`',
    );
  return row;
}
