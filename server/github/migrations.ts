// Tables of the GitHub App integration (ids 100-199).
export const GITHUB_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [];
