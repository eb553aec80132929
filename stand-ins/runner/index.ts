// Runs an action (action.yml + its bundled JS) and `run:` steps the way the GitHub Actions runner does:
// job folder and env, INPUT_/STATE_ variables, fresh file-command files per step applied afterwards,
// workflow commands and secret masking in the log, cancellation by signal. Against a GitHub stand-in.
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobClaims } from '../../lib/claims.js';
import type { ClaimOverrides } from '../github/claims.js';
import type { GitHubStandIn, JobRegistration } from '../github/index.js';
import { inputEnvironment, loadActionMetadata } from './action-metadata.js';
import type { ActionMetadata } from './action-metadata.js';
import { claimsFromEvent, defaultEventPayload } from './event-payloads.js';
import { evaluateCondition } from './expressions.js';
import type { ExpressionContexts } from './expressions.js';
import { addToPrependPath, parseKeyValueFile, parsePathFile, pathValue } from './file-commands.js';
import { githubContext, hostEnvironment, runnerEnvironment } from './runner-env.js';
import { SecretMasker } from './secret-masker.js';
import { formatArgs, parseShell, which } from './shell.js';
import { runStepProcess } from './step-process.js';
import type { Annotation, CancelGrace, ProcessStepResult } from './step-process.js';

export type { Annotation, CancelGrace } from './step-process.js';
export { inputVariableName } from './action-metadata.js';

export interface RunnerJobOptions {
  standIn: GitHubStandIn;
  /** Folder with action.yml and the files its `runs:` names. */
  actionDir: string;
  /** The step's `with:`. */
  inputs?: Record<string, string>;
  /** The workflow's/job's `env:` for every step. */
  env?: Record<string, string>;
  /** Claim overrides for this job (after those read from `eventPayload`). */
  claims?: ClaimOverrides;
  eventName?: string;
  /** GITHUB_EVENT_PATH content; e.g. one of GitHub's published examples. Default: built from the claims. */
  eventPayload?: Record<string, unknown>;
  /** Workflow secrets: registered with the masker like `${{ secrets.* }}` values are. */
  secrets?: Record<string, string>;
  /** GITHUB_JOB. Default `deploy`. */
  jobId?: string;
  /** How the workflow names the action (`uses:`). Default `hoop/guard@v1`. */
  uses?: string;
  /** ACTIONS_STEP_DEBUG / RUNNER_DEBUG. */
  debug?: boolean;
  /** `permissions: id-token: write`; without it the runner sets no ACTIONS_ID_TOKEN_REQUEST_*. Default true. */
  idTokenPermission?: boolean;
  /** Replace the ID token the job receives (hostile tests). */
  issueIdToken?: (claims: JobClaims) => string | Promise<string>;
  /** Shorter cancel grace periods for tests (runner: 7500 ms after SIGINT, 2500 ms after SIGTERM). */
  cancelGrace?: Partial<CancelGrace>;
}

export interface StepRunOptions {
  /** The step's `env:`. */
  env?: Record<string, string>;
  /** `timeout-minutes`, in ms. */
  timeoutMs?: number;
  /** Aborting cancels the step like cancelling the workflow run. */
  signal?: AbortSignal;
}

export interface RunStep extends StepRunOptions {
  run: string;
  /** Default: `bash -e {0}` (what GitHub uses when `shell:` is not given). */
  shell?: string;
  name?: string;
}

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepResult {
  name: string;
  /** GITHUB_ACTION of the step (`__run`, `__hoop_guard`...). */
  id: string;
  conclusion: Conclusion;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Raw process output, unmasked. */
  stdout: string;
  stderr: string;
  /** The step's log as the runner shows it: commands interpreted, secrets masked. */
  log: string;
  outputs: Record<string, string>;
  annotations: Annotation[];
}

export interface RunnerJob {
  /** The job's temp folder (workspace, RUNNER_TEMP, file commands, event). */
  readonly dir: string;
  /** The runner's job environment (before step env, exports and file-command paths). */
  readonly env: Readonly<Record<string, string>>;
  readonly claims: JobClaims;
  readonly registration: JobRegistration;
  readonly metadata: ActionMetadata;
  runPre(options?: StepRunOptions): Promise<StepResult>;
  runMain(options?: StepRunOptions): Promise<StepResult>;
  runPost(options?: StepRunOptions): Promise<StepResult>;
  runStep(step: RunStep): Promise<StepResult>;
  /** Outputs of the action's main step (or of `step`, a StepResult id). */
  outputs(step?: string): Record<string, string>;
  /** State the action saved (what its post step receives as STATE_*). */
  state(): Record<string, string>;
  /** Variables exported through GITHUB_ENV so far. */
  exportedEnv(): Record<string, string>;
  /** GITHUB_PATH entries, in the order they are put in front of PATH (latest first). */
  path(): string[];
  /** The job summary: every step's GITHUB_STEP_SUMMARY, masked, in order. */
  summary(): string;
  /** The whole job log so far. */
  log(): string;
  /** Kills processes steps left behind (like the runner's orphan cleanup) and removes the job folder. */
  cleanup(): Promise<void>;
}

const SUMMARY_LIMIT = 1024 * 1024;

export async function createRunnerJob(options: RunnerJobOptions): Promise<RunnerJob> {
  const metadata = await loadActionMetadata(options.actionDir);
  const eventName = options.eventName ?? options.claims?.event_name ?? 'push';
  const fromEvent =
    options.eventPayload === undefined ? {} : claimsFromEvent(eventName, options.eventPayload);
  const registration = await options.standIn.registerJob({
    claims: { ...fromEvent, event_name: eventName, ...(options.claims ?? {}) },
    ...(options.issueIdToken === undefined ? {} : { issueIdToken: options.issueIdToken }),
  });
  const claims = registration.claims;

  const dir = await mkdtemp(join(tmpdir(), 'guard-runner-'));
  const repoName = claims.repository.split('/')[1] ?? claims.repository;
  const layout = {
    workspace: join(dir, 'work', repoName, repoName),
    temp: join(dir, 'work', '_temp'),
    toolCache: join(dir, 'tool-cache'),
    eventPath: join(dir, 'work', '_temp', '_github_workflow', 'event.json'),
  };
  const fileCommandDir = join(layout.temp, '_runner_file_commands');
  for (const d of [
    layout.workspace,
    layout.temp,
    layout.toolCache,
    fileCommandDir,
    join(layout.temp, '_github_workflow'),
  ]) {
    await mkdir(d, { recursive: true });
  }
  await writeFile(
    layout.eventPath,
    JSON.stringify(options.eventPayload ?? defaultEventPayload(eventName, claims), null, 2),
  );

  const idToken = options.idTokenPermission ?? true;
  const jobEnv = runnerEnvironment(
    claims,
    layout,
    {
      serverUrl: options.standIn.serverUrl,
      apiUrl: options.standIn.apiUrl,
      runtimeToken: registration.runtimeToken,
      resultsUrl: registration.resultsUrl,
      ...(idToken
        ? {
            idTokenRequestUrl: registration.idTokenRequestUrl,
            idTokenRequestToken: registration.idTokenRequestToken,
          }
        : {}),
    },
    options.jobId ?? 'deploy',
    options.debug ?? false,
  );
  const host = hostEnvironment(process.env);
  const masker = new SecretMasker();
  // The runner masks the job's own credentials and every workflow secret from the start.
  for (const secret of [
    registration.runtimeToken,
    registration.githubToken,
    ...Object.values(options.secrets ?? {}),
  ])
    masker.add(secret);

  const grace: CancelGrace = { sigintMs: 7500, sigtermMs: 2500, ...(options.cancelGrace ?? {}) };
  const uses = options.uses ?? 'hoop/guard@v1';
  const [actionRepository = uses, actionRef = ''] = uses.split('@');
  const actionStepId = `__${actionRepository.replace(/[^A-Za-z0-9]+/g, '_')}`;

  let prependPath: string[] = [];
  const exported: Record<string, string> = {};
  const actionState: Record<string, string> = {};
  const outputsByStep = new Map<string, Record<string, string>>();
  const summaries: string[] = [];
  const jobLog: string[] = [];
  const pids = new Set<number>();
  const usedIds = new Map<string, number>();
  let jobStatus: ExpressionContexts['job']['status'] = 'success';

  const contexts = (): ExpressionContexts => ({
    github: githubContext(claims, jobEnv, registration.githubToken),
    runner: {
      os: 'Linux',
      arch: 'X64',
      name: jobEnv['RUNNER_NAME'],
      temp: layout.temp,
      tool_cache: layout.toolCache,
      debug: options.debug === true ? '1' : '',
    },
    env: { ...(options.env ?? {}), ...exported },
    job: { status: jobStatus },
  });
  const uniqueId = (base: string): string => {
    const n = (usedIds.get(base) ?? 0) + 1;
    usedIds.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  };

  interface Execution {
    name: string;
    id: string;
    header: string[];
    /** Resolves the process to start once the step's PATH is known; undefined when it cannot be found. */
    resolve: (path: string) => Promise<{ command: string; args: string[] } | { error: string }>;
    extraEnv: Record<string, string>;
    isScript: boolean;
    saveState: boolean;
    recordOutputs: boolean;
    run: StepRunOptions;
  }

  const execute = async (step: Execution): Promise<StepResult> => {
    const suffix = randomUUID();
    const files = {
      GITHUB_OUTPUT: join(fileCommandDir, `set_output_${suffix}`),
      GITHUB_STATE: join(fileCommandDir, `save_state_${suffix}`),
      GITHUB_ENV: join(fileCommandDir, `set_env_${suffix}`),
      GITHUB_PATH: join(fileCommandDir, `add_path_${suffix}`),
      GITHUB_STEP_SUMMARY: join(fileCommandDir, `step_summary_${suffix}`),
    };
    for (const file of Object.values(files)) await writeFile(file, '');
    const basePath = options.env?.['PATH'] ?? host['PATH'];
    const stepPath = pathValue(prependPath, step.run.env?.['PATH'] ?? exported['PATH'] ?? basePath);
    const env: Record<string, string> = {
      ...host,
      ...jobEnv,
      ...(options.env ?? {}),
      ...exported,
      ...(step.run.env ?? {}),
      ...step.extraEnv,
      ...files,
      GITHUB_ACTION: step.id,
      PATH: stepPath,
    };
    const log: string[] = step.header.map((line) => masker.mask(line));
    const finish = (
      conclusion: Conclusion,
      processResult: ProcessStepResult | undefined,
      outputs: Record<string, string>,
      annotations: Annotation[],
    ): StepResult => {
      if (conclusion === 'failure' && jobStatus === 'success') jobStatus = 'failure';
      if (conclusion === 'cancelled') jobStatus = 'cancelled';
      // The runner ignores outputs of pre and post steps.
      if (step.recordOutputs) outputsByStep.set(step.id, outputs);
      jobLog.push(...log);
      return {
        name: step.name,
        id: step.id,
        conclusion,
        exitCode: processResult?.exitCode ?? null,
        signal: processResult?.signal ?? null,
        stdout: processResult?.stdout ?? '',
        stderr: processResult?.stderr ?? '',
        log: log.join('\n'),
        outputs,
        annotations,
      };
    };

    const target = await step.resolve(stepPath);
    if ('error' in target) {
      log.push(`##[error]${target.error}`);
      return finish('failure', undefined, {}, [{ level: 'error', message: target.error, properties: {} }]);
    }
    const result = await runStepProcess({
      command: target.command,
      args: target.args,
      cwd: layout.workspace,
      env,
      masker,
      debug: options.debug === true,
      grace,
      onStart: (pid) => pids.add(pid),
      ...(step.run.signal === undefined ? {} : { signal: step.run.signal }),
      ...(step.run.timeoutMs === undefined ? {} : { timeoutMs: step.run.timeoutMs }),
    });
    log.push(...result.log);
    const annotations = [...result.annotations];
    const error = (message: string): void => {
      annotations.push({ level: 'error', message, properties: {} });
      log.push(`##[error]${masker.mask(message)}`);
    };

    // File commands are applied after the process ends, in the runner's order.
    let fileCommandFailed = false;
    const outputs: Record<string, string> = Object.fromEntries(result.legacyOutputs);
    const apply = async (contextName: string, file: string, use: (text: string) => void): Promise<void> => {
      try {
        use(await readFile(file, 'utf8'));
      } catch (cause) {
        fileCommandFailed = true;
        error(`Unable to process file command '${contextName}' successfully.`);
        error(cause instanceof Error ? cause.message : String(cause));
      }
    };
    await apply('path', files.GITHUB_PATH, (text) => {
      prependPath = addToPrependPath(prependPath, parsePathFile(text));
    });
    await apply('env', files.GITHUB_ENV, (text) =>
      Object.assign(exported, Object.fromEntries(parseKeyValueFile(text))),
    );
    await apply('step_summary', files.GITHUB_STEP_SUMMARY, (text) => {
      if (text === '') return;
      const size = Buffer.byteLength(text);
      if (size > SUMMARY_LIMIT) {
        error(
          `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${SUMMARY_LIMIT / 1024}k, got ${Math.floor(size / 1024)}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary`,
        );
        return;
      }
      summaries.push(
        text
          .split('\n')
          .map((line) => masker.mask(line))
          .join('\n'),
      );
    });
    await apply('state', files.GITHUB_STATE, (text) => {
      if (step.saveState)
        Object.assign(
          actionState,
          Object.fromEntries(result.legacyState),
          Object.fromEntries(parseKeyValueFile(text)),
        );
    });
    await apply('output', files.GITHUB_OUTPUT, (text) =>
      Object.assign(outputs, Object.fromEntries(parseKeyValueFile(text))),
    );

    let conclusion: Conclusion = 'success';
    if (result.cancelled) {
      conclusion = 'cancelled';
      error('The operation was canceled.');
    } else if (result.timedOut) {
      conclusion = 'failure';
      error(
        `The action '${step.name}' has timed out after ${((step.run.timeoutMs ?? 0) / 60_000).toFixed(2).replace(/\.?0+$/, '')} minutes.`,
      );
    } else if (result.exitCode !== 0) {
      conclusion = 'failure';
      if (step.isScript)
        error(`Process completed with exit code ${result.exitCode ?? result.signal ?? 'unknown'}.`);
    } else if (result.commandFailed || fileCommandFailed) {
      conclusion = 'failure';
    }
    return finish(conclusion, result, outputs, annotations);
  };

  const inputLines = (): string[] => {
    const given = Object.entries(options.inputs ?? {});
    return given.length === 0 ? [] : ['with:', ...given.map(([k, v]) => `  ${k}: ${v}`)];
  };

  const actionStep = (
    phase: 'pre' | 'main' | 'post',
    run: StepRunOptions,
    condition?: string,
  ): Promise<StepResult> => {
    const file = metadata.runs[phase];
    if (file === undefined) throw new TypeError(`${options.actionDir}/action.yml has no runs.${phase}`);
    // One action per job here, so pre, main and post share its context name, as on GitHub.
    const id = actionStepId;
    const name = phase === 'main' ? `Run ${uses}` : phase === 'post' ? `Post Run ${uses}` : `Pre Run ${uses}`;
    if (condition !== undefined && !evaluateCondition(condition, contexts())) {
      const skipped: StepResult = {
        name,
        id,
        conclusion: 'skipped',
        exitCode: null,
        signal: null,
        stdout: '',
        stderr: '',
        log: '',
        outputs: {},
        annotations: [],
      };
      return Promise.resolve(skipped);
    }
    const inputs = inputEnvironment(metadata, options.inputs ?? {}, contexts());
    const stateEnv =
      phase === 'post'
        ? Object.fromEntries(Object.entries(actionState).map(([k, v]) => [`STATE_${k}`, v]))
        : {};
    return execute({
      name,
      id,
      header: [
        `##[group]${name}`,
        ...inputLines(),
        '##[endgroup]',
        ...inputs.warnings.map((w) => `##[warning]${w}`),
      ],
      resolve: async () => ({ command: process.execPath, args: [join(options.actionDir, file)] }),
      extraEnv: {
        ...inputs.env,
        ...stateEnv,
        GITHUB_ACTION_PATH: options.actionDir,
        GITHUB_ACTION_REPOSITORY: actionRepository,
        GITHUB_ACTION_REF: actionRef,
      },
      isScript: false,
      saveState: phase !== 'post',
      recordOutputs: phase === 'main',
      run,
    });
  };

  const job: RunnerJob = {
    dir,
    env: jobEnv,
    claims,
    registration,
    metadata,
    runPre: (run = {}) => actionStep('pre', run, metadata.runs['pre-if'] ?? 'always()'),
    runMain: (run = {}) => actionStep('main', run),
    runPost: (run = {}) => actionStep('post', run, metadata.runs['post-if'] ?? 'always()'),
    async runStep(step) {
      const shell = parseShell(step.shell, (await which('bash', host['PATH'] ?? '')) !== undefined);
      const scriptPath = join(layout.temp, `${randomUUID()}${shell.extension}`);
      await writeFile(scriptPath, step.run);
      const template = `${shell.command} ${shell.args}`.trim();
      return execute({
        name: step.name ?? `Run ${step.run.split('\n')[0] ?? ''}`,
        id: uniqueId('__run'),
        header: [
          `##[group]Run ${step.run.split('\n')[0] ?? ''}`,
          ...step.run
            .split('\n')
            .slice(1)
            .filter((l) => l !== ''),
          `shell: ${template}`,
          '##[endgroup]',
        ],
        resolve: async (path) => {
          const command = await which(shell.command, path);
          if (command === undefined) {
            return {
              error: `${shell.command}: command not found. Unable to locate executable file: ${shell.command}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`,
            };
          }
          return { command, args: formatArgs(shell.args, scriptPath) };
        },
        extraEnv: {},
        isScript: true,
        saveState: false,
        recordOutputs: true,
        run: step,
      });
    },
    outputs(step) {
      if (step !== undefined) return { ...(outputsByStep.get(step) ?? {}) };
      return { ...(outputsByStep.get(actionStepId) ?? {}) };
    },
    state: () => ({ ...actionState }),
    exportedEnv: () => ({ ...exported }),
    path: () => [...prependPath].reverse(),
    summary: () => summaries.join(''),
    log: () => jobLog.join('\n'),
    async cleanup() {
      for (const pid of pids) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone: nothing left behind.
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  return job;
}
