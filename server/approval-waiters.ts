// Wakes clients waiting on an approval. A decision is written to the database and then announced with
// NOTIFY, so a waiter on any replica sharing the database wakes within milliseconds, with no polling.
import { EventEmitter } from 'node:events';
import type { Database } from './storage/database.js';

const CHANNEL = 'guard_approval';

export class ApprovalWaiters {
  readonly #emitter = new EventEmitter();
  #unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly db: Database) {
    this.#emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.#unlisten = await this.db.listen(CHANNEL, (approvalId) => this.#emitter.emit(approvalId));
  }

  async announce(approvalId: string): Promise<void> {
    await this.db.notify(CHANNEL, approvalId);
  }

  /** Resolves true when the approval changes, false when `timeoutMs` passes or `signal` aborts first. */
  changed(approvalId: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.#emitter.off(approvalId, onChange);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onChange = () => done(true);
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#emitter.on(approvalId, onChange);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async stop(): Promise<void> {
    await this.#unlisten?.();
    this.#emitter.removeAllListeners();
  }
}
