// Tables of SSH steps (ids 400-499).
export const SSH_MIGRATIONS: readonly { id: number; name: string; sql: string }[] = [];
