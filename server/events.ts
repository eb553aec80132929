// The server's own event record: every session, step, decision and refusal, including refusals that
// never got a session (a forged token is a security event, not just a 401).
import type { Queryable } from './storage/database.js';

export async function recordEvent(
  db: Queryable,
  sessionId: string | null,
  type: string,
  body: Record<string, unknown>,
): Promise<void> {
  await db.query('insert into events (session_id, type, body) values ($1, $2, $3)', [
    sessionId,
    type,
    JSON.stringify(body),
  ]);
}
