// How optional parts of the server (the GitHub App, the runner hooks) plug in: each gets the context and the
// router at start, adds its routes and approval listeners, and returns how to stop what it started.
import type { ServerContext } from './context.js';
import type { Router } from './http/router.js';

export interface ServerExtension {
  name: string;
  /** Adds routes and listeners; returns a function that stops whatever it started (timers, clients). */
  install(
    ctx: ServerContext,
    router: Router,
    env: NodeJS.ProcessEnv,
  ): Promise<(() => Promise<void>) | undefined>;
}
