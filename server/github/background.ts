// Work that continues after a webhook is answered (GitHub gives 10 s). Each task is tracked so the
// server can wait for it on shutdown and tests can wait for it instead of sleeping.
export class BackgroundWork {
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly log: (line: string) => void) {}

  run(label: string, task: () => Promise<void>): void {
    const promise = task()
      .catch((error: unknown) => {
        this.log(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => this.#pending.delete(promise));
    this.#pending.add(promise);
  }

  /** Resolves once nothing is running, including work started by work that was running. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
