// Failed review-page sign-ins per client address. Reviewer credentials are 256-bit random, so guessing is
// hopeless anyway; the throttle keeps a script from hammering the database with lookups and makes a
// misbehaving client visible (every refusal is a security event). Per replica and in memory on purpose:
// it is a brake, not a record; the record is the event table. Pure: the caller passes the clock.

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
/** Addresses tracked at most; the oldest are forgotten first, so memory stays bounded under a flood. */
const MAX_ADDRESSES = 10_000;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  /** Milliseconds until `address` may try again, or 0 when it may try now. */
  retryAfterMs(address: string, nowMs: number): number {
    const recent = this.recent(address, nowMs);
    if (recent.length < MAX_FAILURES) return 0;
    return recent[recent.length - MAX_FAILURES]! + WINDOW_MS - nowMs;
  }

  failed(address: string, nowMs: number): void {
    const recent = this.recent(address, nowMs);
    recent.push(nowMs);
    this.failures.delete(address);
    this.failures.set(address, recent.slice(-MAX_FAILURES));
    if (this.failures.size > MAX_ADDRESSES) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string, nowMs: number): number[] {
    return (this.failures.get(address) ?? []).filter((at) => nowMs - at < WINDOW_MS);
  }
}
