// Approval lifecycle notifications for integrations (the GitHub App's check runs and PR comments, the
// deployment protection rule). Listeners run after the decision is stored; a failing listener is logged
// and never changes or delays a decision.
import type { ApprovalState } from './approvals.js';

export interface ApprovalEvent {
  approval: ApprovalState;
}

type Listener = (event: ApprovalEvent) => Promise<void> | void;

export class ApprovalEvents {
  readonly #listeners = { requested: [] as Listener[], decided: [] as Listener[] };

  constructor(private readonly log: (line: string) => void) {}

  on(type: 'requested' | 'decided', listener: Listener): void {
    this.#listeners[type].push(listener);
  }

  /** Runs every listener; resolves when all have settled (tests await it, the API does not). */
  async emit(type: 'requested' | 'decided', event: ApprovalEvent): Promise<void> {
    await Promise.all(
      this.#listeners[type].map(async (listener) => {
        try {
          await listener(event);
        } catch (error) {
          this.log(
            `approval ${event.approval.id}: ${type} listener failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }),
    );
  }
}
