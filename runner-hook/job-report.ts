// The job as the runner describes it to its hooks: the default GITHUB_* variables (a workflow cannot
// override them) and the event payload at GITHUB_EVENT_PATH. Pure: the caller reads the files.
import { GuardError } from '../lib/errors.js';
import type { JobReport } from './protocol.js';

const REQUIRED = {
  repository: 'GITHUB_REPOSITORY',
  repositoryId: 'GITHUB_REPOSITORY_ID',
  repositoryOwner: 'GITHUB_REPOSITORY_OWNER',
  repositoryOwnerId: 'GITHUB_REPOSITORY_OWNER_ID',
  runId: 'GITHUB_RUN_ID',
  runAttempt: 'GITHUB_RUN_ATTEMPT',
  job: 'GITHUB_JOB',
  ref: 'GITHUB_REF',
  sha: 'GITHUB_SHA',
  workflow: 'GITHUB_WORKFLOW',
  workflowRef: 'GITHUB_WORKFLOW_REF',
  eventName: 'GITHUB_EVENT_NAME',
  actor: 'GITHUB_ACTOR',
} as const;

const OPTIONAL = {
  runNumber: 'GITHUB_RUN_NUMBER',
  refProtected: 'GITHUB_REF_PROTECTED',
  workflowSha: 'GITHUB_WORKFLOW_SHA',
  actorId: 'GITHUB_ACTOR_ID',
  headRef: 'GITHUB_HEAD_REF',
  baseRef: 'GITHUB_BASE_REF',
  runnerName: 'RUNNER_NAME',
} as const;

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

export function jobReportFromEnv(env: NodeJS.ProcessEnv, payload: unknown): JobReport {
  const missing = Object.values(REQUIRED).filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new GuardError(
      'BAD_INPUT',
      `guard runner hook: the runner did not set ${missing.join(', ')}; the hook must be started by the runner (ACTIONS_RUNNER_HOOK_JOB_STARTED/COMPLETED), not by hand`,
    );
  }
  const report = Object.fromEntries(
    Object.entries(REQUIRED).map(([field, name]) => [field, env[name] ?? '']),
  ) as Pick<JobReport, keyof typeof REQUIRED>;
  const out: JobReport = {
    ...report,
    refType: env.GITHUB_REF_TYPE || 'branch',
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR || report.actor,
  };
  for (const [field, name] of Object.entries(OPTIONAL)) {
    const value = env[name];
    if (value) Object.assign(out, { [field]: value });
  }
  const event = isRecord(payload) ? payload : {};
  if (PULL_REQUEST_EVENTS.has(report.eventName)) {
    const fork = pullRequestFromFork(event, report.repository);
    if (fork !== undefined) out.pullRequestFromFork = fork;
    const number = isRecord(event.pull_request) ? event.pull_request.number : undefined;
    if (typeof number === 'number') out.pullRequestNumber = number;
  }
  const deployment = isRecord(event.deployment) ? event.deployment : undefined;
  if (report.eventName === 'deployment' && typeof deployment?.environment === 'string')
    out.environment = deployment.environment;
  return out;
}

/** Undefined when the payload does not say (the server then treats the pull request as a fork). */
function pullRequestFromFork(event: Record<string, unknown>, repository: string): boolean | undefined {
  const pr = isRecord(event.pull_request) ? event.pull_request : undefined;
  const head = isRecord(pr?.head) ? pr.head : undefined;
  const headRepo = isRecord(head?.repo) ? head.repo : undefined;
  if (!headRepo) return undefined;
  if (headRepo.fork === true) return true;
  if (typeof headRepo.full_name !== 'string') return undefined;
  return headRepo.full_name.toLowerCase() !== repository.toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
