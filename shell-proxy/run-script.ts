// Runs the approved script with the runner's bash semantics and sends every byte of its output through
// the masker before it reaches the runner log or the recording. The script runs from a private copy of
// the bytes that were judged, so editing the runner's file after approval changes nothing.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';
import type { Masker } from '../masking/masker.js';
import type { StepRecording } from '../recording/recording-files.js';
import { createStepOutput } from './step-output.js';

/** How long a cancelled step's processes get to clean up after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 5000;

export const BASH_ARGS = ['--noprofile', '--norc', '-e', '-o', 'pipefail'] as const;

export interface ScriptRun {
  exitCode: number;
  signal: NodeJS.Signals | null;
  /** Set when the recording failed in strict mode and the step was stopped for it. */
  recordingError?: string;
}

export interface RunScriptOptions {
  script: Uint8Array;
  env: NodeJS.ProcessEnv;
  cwd: string;
  masker: Masker;
  recording: StepRecording;
  strict: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  tempDir?: string;
}

export async function runScript(options: RunScriptOptions): Promise<ScriptRun> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'guard-step-'));
  const file = join(dir, 'script.sh');
  await writeFile(file, options.script, { mode: 0o600 });
  try {
    return await spawnBash(file, options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function spawnBash(file: string, options: RunScriptOptions): Promise<ScriptRun> {
  return new Promise((resolve) => {
    // Own process group, so cancelling the step reaches everything the script started.
    const child = spawn('bash', [...BASH_ARGS, file], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const output = createStepOutput({
      ...options,
      onRecordingFailure: () => killGroup(child.pid, 'SIGTERM'),
    });
    output.attach(child.stdout, options.stdout);
    output.attach(child.stderr, options.stderr);

    // Cancellation (the runner sends SIGINT, then SIGTERM): SIGTERM to the step's whole process group at
    // once, because background jobs of a non-interactive bash ignore SIGINT and would keep the step (and
    // its output pipes) alive; SIGKILL to what is still there after a grace period.
    let killTimer: NodeJS.Timeout | undefined;
    const forward = () => {
      killGroup(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    process.on('SIGHUP', forward);

    child.on('error', (error) => {
      options.stderr.write(`guard: could not start bash: ${error.message}\n`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      process.off('SIGHUP', forward);
      void output.finish().then(() => {
        const exitCode = code ?? (signal ? 128 + (osConstants.signals[signal] ?? 0) : 1);
        const recordingError = output.recordingError();
        resolve({ exitCode, signal, ...(recordingError ? { recordingError } : {}) });
      });
    });
  });
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
