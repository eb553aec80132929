// The credential broker for SSH steps: targets registered by the platform team, sealed at rest, and
// released only to the session whose `guard --ssh NAME` step the server has just released.
import { GuardError } from '../../lib/errors.js';
import {
  checkSshTarget,
  summarizeSshTarget,
  type SshTarget,
  type SshTargetSummary,
} from '../../ssh/ssh-target.js';
import type { SecretBox } from '../secret-box.js';
import type { Queryable } from '../storage/database.js';

export type { SshTarget, SshTargetSummary } from '../../ssh/ssh-target.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Registers (or replaces) a target. Refuses one that could not connect safely: no pinned host key, a key that does not parse. */
export async function registerSshTarget(
  db: Queryable,
  box: SecretBox,
  name: string,
  target: SshTarget,
): Promise<SshTargetSummary> {
  if (!NAME.test(name))
    throw new GuardError(
      'BAD_INPUT',
      `guard: ssh target name '${name}' must be lower-case letters, digits, '.', '_' or '-'`,
    );
  let checked: ReturnType<typeof checkSshTarget>;
  try {
    checked = checkSshTarget(target);
  } catch (error) {
    throw new GuardError('BAD_INPUT', `guard: ${(error as Error).message}`, { cause: error });
  }
  // Stored in a normal form: only the known fields, host keys as `TYPE BASE64` without comments.
  const stored: SshTarget = {
    host: target.host,
    port: target.port,
    username: target.username,
    privateKey: target.privateKey,
    ...(target.passphrase ? { passphrase: target.passphrase } : {}),
    hostKeys: [...new Set(checked.hostKeys.map((key) => key.line))],
  };
  const summary = summarizeSshTarget(stored, checked.clientKey);
  await db.query(
    `insert into ssh_targets (name, target_sealed, summary) values ($1, $2, $3)
     on conflict (name) do update set target_sealed = excluded.target_sealed, summary = excluded.summary,
       updated_at = now()`,
    [name, box.seal(JSON.stringify(stored)), JSON.stringify(summary)],
  );
  return summary;
}

export async function removeSshTarget(db: Queryable, name: string): Promise<boolean> {
  return (await db.query('delete from ssh_targets where name = $1', [name])).rowCount > 0;
}

/** Names, where they point and key fingerprints (never the key or passphrase; nothing is unsealed). */
export async function listSshTargets(db: Queryable): Promise<({ name: string } & SshTargetSummary)[]> {
  const { rows } = await db.query<{ name: string; summary: SshTargetSummary | string }>(
    'select name, summary from ssh_targets order by name',
  );
  return rows.map((row) => ({
    name: row.name,
    ...(typeof row.summary === 'string' ? (JSON.parse(row.summary) as SshTargetSummary) : row.summary),
  }));
}

export async function sshTargetRegistered(db: Queryable, name: string): Promise<boolean> {
  return (await db.query('select 1 from ssh_targets where name = $1', [name])).rowCount > 0;
}

/** The whole target, unsealed: call only when releasing a step of a verified session. */
export async function releaseSshTarget(db: Queryable, box: SecretBox, name: string): Promise<SshTarget> {
  const { rows } = await db.query<{ target_sealed: string }>(
    'select target_sealed from ssh_targets where name = $1',
    [name],
  );
  const row = rows[0];
  if (!row)
    throw new GuardError(
      'NOT_FOUND',
      `guard: no SSH target '${name}' is registered on the guard server; the platform team adds it with \`guard server ssh add ${name} --host HOST --user USER --key FILE --host-key '...'\``,
    );
  return JSON.parse(box.open(row.target_sealed)) as SshTarget;
}
