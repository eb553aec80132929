import { describe, expect, it } from 'vitest';
import { MAX_FAILURES, SignInThrottle, WINDOW_MS } from './sign-in-throttle.js';

describe('review page sign-in throttle', () => {
  it('lets an address try until it has failed MAX_FAILURES times within the window', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < MAX_FAILURES; i++) {
      expect(throttle.retryAfterMs('10.0.0.1', 1000 + i)).toBe(0);
      throttle.failed('10.0.0.1', 1000 + i);
    }
    expect(throttle.retryAfterMs('10.0.0.1', 2000)).toBe(1000 + WINDOW_MS - 2000);
    // Other addresses are not affected.
    expect(throttle.retryAfterMs('10.0.0.2', 2000)).toBe(0);
    // The oldest failure leaves the window: one more try.
    expect(throttle.retryAfterMs('10.0.0.1', 1000 + WINDOW_MS)).toBe(0);
  });

  it('forgets the failures of an address that signs in', () => {
    const throttle = new SignInThrottle();
    for (let i = 0; i < MAX_FAILURES - 1; i++) throttle.failed('::1', i);
    throttle.succeeded('::1');
    throttle.failed('::1', 10);
    expect(throttle.retryAfterMs('::1', 11)).toBe(0);
  });
});
