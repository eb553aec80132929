// Webhook deliveries already accepted, shared by every replica through the database: a delivery id seen
// before, or the very same signed body under a new id, is not processed again.
import { sha256Hex } from '../../lib/digest.js';
import type { Queryable } from '../storage/database.js';

/** True when this delivery is new (and now recorded), false for a replay or a redelivery. */
export async function acceptDelivery(
  db: Queryable,
  delivery: { id: string; event: string; action: string | undefined; rawBody: string },
): Promise<boolean> {
  const inserted = await db.query(
    `insert into github_deliveries (delivery_id, payload_sha256, event, action) values ($1, $2, $3, $4) on conflict do nothing`,
    [delivery.id, sha256Hex(delivery.rawBody), delivery.event, delivery.action ?? null],
  );
  return inserted.rowCount > 0;
}

export async function finishDelivery(db: Queryable, id: string, outcome: string): Promise<void> {
  await db.query(`update github_deliveries set processed_at = now(), outcome = $2 where delivery_id = $1`, [
    id,
    outcome.slice(0, 500),
  ]);
}

/** Deliveries older than the retention are forgotten; GitHub redelivers for at most a few days. */
export async function pruneDeliveries(db: Queryable, before: Date): Promise<number> {
  return (await db.query('delete from github_deliveries where received_at < $1', [before])).rowCount;
}
