// Which pull request a job ran for, from its claims: only `refs/pull/N/merge` (or `/head`) says so. A push
// or a deployment from a branch has no pull request, and then only the check run on the commit is used.
export function pullRequestFromRef(ref: unknown): number | undefined {
  if (typeof ref !== 'string') return undefined;
  const match = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(ref);
  return match ? Number(match[1]) : undefined;
}
