// Tables of the runner hooks (ids 200-299).
export const RUNNER_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [];
