// The one place that knows what `main` hands to `post` through the runner's state file.
import * as core from '@actions/core';

export interface ActionState {
  server: string;
  sessionId: string;
  credential: string;
  auditDir: string;
}

const KEYS = {
  server: 'server',
  sessionId: 'session-id',
  credential: 'session-credential',
  auditDir: 'audit-dir',
} as const;

export function saveActionState(state: ActionState): void {
  for (const [field, key] of Object.entries(KEYS)) core.saveState(key, state[field as keyof ActionState]);
}

/** Undefined when `main` did not get as far as opening a session. */
export function loadActionState(): ActionState | undefined {
  const state = Object.fromEntries(
    Object.entries(KEYS).map(([field, key]) => [field, core.getState(key)]),
  ) as unknown as ActionState;
  return state.sessionId && state.credential ? state : undefined;
}
