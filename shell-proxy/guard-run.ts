// `guard run` (what `shell: guard {0}` calls): ask the server, wait for reviewers when policy says so, run
// the exact script that was judged, stream its output masked, record it, and report the outcome.
// Every refusal happens before a line of the script runs.
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardServerClient, type ApprovalState } from '../client/server-api.js';
import { sha256Hex } from '../lib/digest.js';
import { GuardError, describeError } from '../lib/errors.js';
import { createMasker } from '../masking/masker.js';
import { eventLogOn, openStepRecording, type EventLog } from '../recording/recording-files.js';
import { waitForDecision } from './approval-wait.js';
import { runScript, BASH_ARGS, type ScriptRun } from './run-script.js';
import { runRemoteScript } from '../ssh/remote-run.js';
import { sshStepEnv } from '../ssh/step-env.js';
import { readStepSession } from './step-session.js';
import { startDatabaseProxy, type DatabaseProxy } from './database-proxy.js';
import type { EffectivePolicy } from '../policies/types.js';
import { SESSION_ENV } from '../action/session-env.js';

export interface RunArgs {
  script: string;
  kind: 'shell' | 'db' | 'ssh';
  target?: string;
  name?: string;
}

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function parseRunArgs(argv: readonly string[]): RunArgs {
  let kind: RunArgs['kind'] = 'shell';
  let target: string | undefined;
  let name: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new GuardError('BAD_INPUT', `guard: ${arg} needs a value`);
      return next;
    };
    if (arg === '--db') [kind, target] = ['db', value()];
    else if (arg === '--ssh') [kind, target] = ['ssh', value()];
    else if (arg === '--name') name = value();
    else if (arg.startsWith('--'))
      throw new GuardError(
        'BAD_INPUT',
        `guard: unknown option ${arg}; use: shell: guard [--db NAME | --ssh NAME] [--name NAME] {0}`,
      );
    else rest.push(arg);
  }
  if (rest.length !== 1 || !rest[0]) {
    throw new GuardError(
      'BAD_INPUT',
      'guard: expected exactly one script path; use `shell: guard {0}` in the workflow',
    );
  }
  return { script: rest[0], kind, ...(target ? { target } : {}), ...(name ? { name } : {}) };
}

export async function runGuardedStep(argv: readonly string[], io: CommandIO): Promise<number> {
  const say = (line: string) => void io.stdout.write(`${line}\n`);
  try {
    const args = parseRunArgs(argv);
    const session = await readStepSession(io.env);
    const scriptBytes = await readFile(args.script).catch((error: unknown) => {
      throw new GuardError('BAD_INPUT', `guard: cannot read the step script ${args.script}`, {
        cause: error,
      });
    });
    const name = args.name ?? io.env.GUARD_STEP_NAME ?? io.env.GITHUB_ACTION ?? 'step';
    const masker = createMasker({
      packs: session.policy.masking.packs,
      rules: session.policy.masking.rules,
      secrets: [session.credential, ...session.maskValues],
    });
    const scriptSha256 = sha256Hex(scriptBytes);
    const client = new GuardServerClient(session.server, session.credential);

    const registration = await client.registerStep({
      name,
      kind: args.kind,
      ...(args.target ? { target: args.target } : {}),
      script: masker.maskText(scriptBytes.toString('utf8')),
      scriptSha256,
    });
    const { step, decision } = registration;
    const strict = session.policy.recording === 'strict';
    const events = await openEvents(session.auditDir, strict);
    const recording = await openStepRecording(
      join(session.auditDir, 'steps', `${step.seq}.cast`),
      {
        cols: 120,
        rows: 40,
        command: `${args.kind === 'ssh' ? `ssh ${args.target}: ` : ''}bash ${BASH_ARGS.join(' ')} {0}`,
        title: name,
        termType: 'xterm-256color',
      },
      { mode: session.policy.recording, events, step: step.seq },
    );
    await events.append({
      type: 'step.start',
      step: step.seq,
      name,
      kind: args.kind,
      script_sha256: scriptSha256,
      decision: decision.action,
      rule: decision.rule,
      reason: decision.reason,
    });

    const refuse = async (code: GuardError['code'], message: string, status: string) => {
      await recording.marker(`guard: ${status}`);
      await recording.exit(1);
      const closed = await recording.close();
      await events.append({
        type: 'step.end',
        step: step.seq,
        status,
        exit_code: null,
        cast_sha256: closed.sha256,
      });
      await events.close();
      throw new GuardError(code, message);
    };

    if (decision.action === 'block') {
      await refuse(
        'POLICY_DENIED',
        `guard: step '${name}' is blocked by policy (${decision.rule ?? 'policy'}): ${decision.reason}`,
        'blocked',
      );
    }
    if (decision.action === 'require-approval') {
      const pending = registration.approval;
      if (!pending)
        throw new GuardError(
          'SERVER_ERROR',
          'guard: the server asked for approval but sent no approval request',
        );
      await recording.marker(`approval ${pending.id} requested`);
      await events.append({
        type: 'approval.requested',
        step: step.seq,
        approval: pending.id,
        reviewers: pending.reviewers,
        required: pending.required,
        expires_at: pending.expiresAt,
      });
      const decided = await waitForDecision({
        client,
        approval: pending,
        stepName: name,
        serverUrl: session.server,
        print: say,
      });
      await events.append(approvalEvent(step.seq, decided));
      await recording.marker(`approval ${decided.id} ${decided.status}`);
      if (decided.status !== 'approved') {
        const why =
          decided.status === 'expired'
            ? `expired at ${decided.expiresAt}; ask a reviewer to approve sooner and re-run the job`
            : `${decided.reason ?? 'denied'}`;
        await refuse(
          decided.status === 'expired' ? 'APPROVAL_EXPIRED' : 'APPROVAL_DENIED',
          `guard: step '${name}' was not approved: ${why}`,
          decided.status,
        );
      }
      say(
        `guard: step '${name}' approved by ${decided.votes
          .filter((vote) => vote.decision === 'approve')
          .map((vote) => vote.reviewer)
          .join(', ')}`,
      );
    }

    const release = await client.startStep(step.id, scriptSha256);
    const started = Date.now();
    let database: DatabaseProxy | undefined;
    if (args.kind === 'db') {
      if (!release.database || !args.target)
        throw new GuardError(
          'SERVER_ERROR',
          'guard: the server released a database step without its connection',
        );
      database = await startDatabaseProxy({
        target: args.target,
        upstream: release.database,
        policy: session.policy as unknown as EffectivePolicy,
        client,
        serverUrl: session.server,
        stepId: step.id,
        stepSeq: step.seq,
        stepName: name,
        masker,
        events,
        print: say,
      });
      say(
        `guard: database '${args.target}' is reachable for this step at ${database.env.PGHOST}:${database.env.PGPORT} (PG* and DATABASE_URL are set); every statement is judged, recorded and its results masked`,
      );
    }
    const env = { ...io.env, ...(database?.env ?? {}) };
    // The script never needs the session credential; keeping it out of its environment keeps it out of
    // anything the script might print or send.
    delete env[SESSION_ENV.credential];
    const output = { masker, recording, strict, stdout: io.stdout, stderr: io.stderr };
    let result: ScriptRun;
    if (args.kind === 'ssh') {
      if (!release.ssh)
        throw new GuardError('SERVER_ERROR', 'guard: the server released an SSH step without its target');
      try {
        result = await runRemoteScript({
          target: release.ssh,
          script: scriptBytes,
          env: sshStepEnv(io.env, name),
          ...output,
        });
      } catch (error) {
        // Thrown only when nothing ran on the host (host key, login, unreachable): close the evidence and
        // tell the server the step ended without running.
        await recording.marker('guard: ssh refused');
        await recording.exit(1);
        const closed = await recording.close();
        await events.append({
          type: 'step.end',
          step: step.seq,
          status: 'ssh-refused',
          exit_code: 1,
          cast_sha256: closed.sha256,
        });
        await events.close();
        await client.finishStep(step.id, {
          exitCode: 1,
          castSha256: closed.sha256,
          maskCounts: { ...masker.counts() },
        });
        throw error;
      }
    } else {
      result = await runScript({
        script: scriptBytes,
        env,
        cwd: io.cwd,
        ...output,
        ...(io.env.RUNNER_TEMP ? { tempDir: io.env.RUNNER_TEMP } : {}),
      });
    }
    await database?.close();
    await recording.exit(result.exitCode);
    const closed = await recording.close();
    const maskCounts = { ...masker.counts() };
    const sqlCounts = database?.counts();
    await events.append({
      type: 'step.end',
      step: step.seq,
      status: result.recordingError ? 'recording-failed' : 'finished',
      exit_code: result.exitCode,
      signal: result.signal,
      duration_ms: Date.now() - started,
      cast_sha256: closed.sha256,
      cast_head: closed.head,
      mask_counts: maskCounts,
      ...(sqlCounts ? { sql_counts: sqlCounts } : {}),
    });
    await events.close();
    await client.finishStep(step.id, { exitCode: result.exitCode, castSha256: closed.sha256, maskCounts });
    if (result.recordingError) {
      throw new GuardError(
        'RECORDING_FAILED',
        `guard: step '${name}' was stopped because its recording failed (recording: strict): ${result.recordingError}`,
      );
    }
    return result.exitCode;
  } catch (error) {
    io.stderr.write(`${describeError(error)}\n`);
    return 1;
  }
}

function approvalEvent(step: number, state: ApprovalState) {
  return {
    type: 'approval.decided',
    step,
    approval: state.id,
    status: state.status,
    reason: state.reason,
    votes: state.votes.map((vote) => ({
      reviewer: vote.reviewer,
      decision: vote.decision,
      channel: vote.channel,
      at: vote.at,
      comment: vote.comment,
    })),
  };
}

/** events.jsonl is one chain for the whole job: each step continues from the last line already written. */
async function openEvents(auditDir: string, strict: boolean): Promise<EventLog> {
  const path = join(auditDir, 'events.jsonl');
  let previous: { hash?: string; seq?: number } = {};
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists) {
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    const last = lines.at(-1);
    if (last) previous = JSON.parse(last) as { hash?: string; seq?: number };
  }
  const handle = await open(path, 'a', 0o600).catch((error: unknown) => {
    throw new GuardError(
      'RECORDING_FAILED',
      `guard: cannot open the event log ${path}; check the runner's temp directory is writable`,
      { cause: error },
    );
  });
  return eventLogOn(handle, path, {
    mode: strict ? 'strict' : 'best_effort',
    ...(previous.hash ? { previousHead: previous.hash, previousCount: previous.seq ?? 0 } : {}),
  });
}
