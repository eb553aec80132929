// `shell: guard --ssh NAME {0}`: runs the approved script on the remote host with the runner's bash
// semantics and the same contract as a local step (shell-proxy/run-script.ts): every byte of output is
// masked before it reaches the runner log or the recording, a strict recording failure stops the step,
// the remote exit status (or signal) is the step's, and cancelling the job stops the remote processes.
import { constants as osConstants } from 'node:os';
import type ssh2 from 'ssh2';
import { GuardError } from '../lib/errors.js';
import { createStepOutput } from '../shell-proxy/step-output.js';
import type { Masker } from '../masking/masker.js';
import type { StepRecording } from '../recording/recording-files.js';
import type { ScriptRun } from '../shell-proxy/run-script.js';
import { connectSsh } from './connect.js';
import { remoteCommand, scriptPrelude } from './remote-command.js';
import type { SshTarget } from './ssh-target.js';

/** How long the remote processes get to clean up after SIGTERM before SIGKILL (as for local steps). */
const KILL_GRACE_MS = 5000;
/** After the host's SIGKILL, how long to wait for it to report the exit before guard closes the channel. */
const CLOSE_GRACE_MS = 3000;
/** Exit code when the connection ends without an exit status (what `ssh` itself returns). */
export const CONNECTION_LOST_EXIT = 255;

export interface RunRemoteScriptOptions {
  target: SshTarget;
  script: Uint8Array;
  /** Exported to the script (see remote-command.ts for how); never put secrets here that the host must not see. */
  env?: Record<string, string>;
  masker: Masker;
  recording: StepRecording;
  strict: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /**
   * Cancels the step (as SIGINT, SIGTERM or SIGHUP to this process do): SIGTERM to the remote script's
   * process group through the stdin lifeline (remote-command.ts), SIGKILL after killGraceMs.
   */
  signal?: AbortSignal;
  readyTimeoutMs?: number;
  killGraceMs?: number;
}

/**
 * Connects (pinned host key, public-key login), runs the script and resolves with its outcome. Rejects
 * with a GuardError only when nothing ran on the host (bad target, host key not pinned, login refused,
 * unreachable, cancelled while connecting).
 */
export async function runRemoteScript(options: RunRemoteScriptOptions): Promise<ScriptRun> {
  // The key and passphrase must never reach a log, whatever prints them (ssh2 debug output, a script).
  options.masker.addSecret(options.target.privateKey);
  if (options.target.passphrase) options.masker.addSecret(options.target.passphrase);
  const script = Buffer.concat([Buffer.from(scriptPrelude(options.env)), options.script]);
  const graceMs = options.killGraceMs ?? KILL_GRACE_MS;
  const command = remoteCommand(script.length, Math.max(1, Math.ceil(graceMs / 1000)));

  // The runner cancels with SIGINT then SIGTERM: the same stop as an aborted signal, as for local steps.
  const cancel = new AbortController();
  const onProcessSignal = () => cancel.abort();
  const onAbort = () => cancel.abort();
  if (options.signal?.aborted) cancel.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  for (const name of PROCESS_SIGNALS) process.on(name, onProcessSignal);
  try {
    const client = await connectSsh(options.target, {
      signal: cancel.signal,
      ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    });
    try {
      const channel = await openExec(client, command, options.target);
      return await drive(channel, client, script, graceMs, options, cancel.signal);
    } finally {
      client.end();
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const name of PROCESS_SIGNALS) process.off(name, onProcessSignal);
  }
}

const PROCESS_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function openExec(client: ssh2.Client, command: string, target: SshTarget): Promise<ssh2.ClientChannel> {
  return new Promise((resolve, reject) => {
    // No pty: stdout and stderr stay apart, nothing is echoed, and the exit status is the script's.
    client.exec(command, (error, channel) => {
      if (error)
        reject(
          new GuardError(
            'SSH_FAILED',
            `guard: ${target.username}@${target.host} refused to run a command (${error.message}); nothing was run. Check the account may run commands (no forced command, a login shell that exists)`,
            { cause: error },
          ),
        );
      else resolve(channel);
    });
  });
}

function drive(
  channel: ssh2.ClientChannel,
  client: ssh2.Client,
  script: Buffer,
  graceMs: number,
  options: RunRemoteScriptOptions,
  cancelled: AbortSignal,
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const output = createStepOutput({ ...options, onRecordingFailure: () => stop() });
    output.attach(channel as NodeJS.ReadableStream, options.stdout);
    output.attach(channel.stderr, options.stderr);

    // Stop: EOF on the channel's stdin, the lifeline the remote helper watches (remote-command.ts): it
    // sends SIGTERM to the step's whole process group, SIGKILL after the grace period. If the host does
    // not report an exit by then, guard closes the channel itself.
    let closeTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (closeTimer) return;
      channel.end();
      closeTimer = setTimeout(() => channel.close(), graceMs + CLOSE_GRACE_MS);
    };
    if (cancelled.aborted) stop();
    else cancelled.addEventListener('abort', stop, { once: true });

    let exit: { code: number | null; signal: string | undefined } | undefined;
    channel.on('exit', (code: number | null, signal?: string) => {
      exit = { code, signal };
    });
    let connectionError: string | undefined;
    client.on('error', (error) => {
      connectionError = error.message;
    });

    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(closeTimer);
      cancelled.removeEventListener('abort', stop);
      void output.finish().then(() => {
        if (!exit) {
          options.stderr.write(
            `guard: the SSH connection to ${options.target.host} ended before the remote script reported its exit status${connectionError ? ` (${connectionError})` : ''}; the step is failed with exit code ${CONNECTION_LOST_EXIT}\n`,
          );
        }
        const recordingError = output.recordingError();
        const signal = exit?.signal ? (exit.signal as NodeJS.Signals) : null;
        const exitCode =
          exit?.code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : CONNECTION_LOST_EXIT);
        resolve({ exitCode, signal, ...(recordingError ? { recordingError } : {}) });
      });
    };
    channel.on('close', finish);
    client.on('close', finish);

    // The whole script, then nothing: stdin stays open until the step ends or is stopped.
    channel.write(script);
  });
}
