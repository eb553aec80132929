// Runs one step's process the way the runner does: stdout and stderr lines are scanned for workflow
// commands and written (masked) to the step log; cancellation sends SIGINT, then SIGTERM, then SIGKILL.
// The child gets its own process group so cleanup can kill what it leaves behind (the runner's orphan
// process cleanup), while signals on cancel go to the process itself, as the runner sends them.
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { SecretMasker } from './secret-masker.js';
import { parseWorkflowCommand } from './workflow-commands.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface CancelGrace {
  /** Wait after SIGINT before SIGTERM (runner: 7.5 s). */
  sigintMs: number;
  /** Wait after SIGTERM before SIGKILL (runner: 2.5 s). */
  sigtermMs: number;
}

export interface ProcessStepOptions {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  masker: SecretMasker;
  /** ACTIONS_STEP_DEBUG: show `::debug::` lines. */
  debug: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  grace: CancelGrace;
  /** Called with the child's pid right after it starts (for orphan cleanup). */
  onStart?: (pid: number) => void;
}

export interface ProcessStepResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  log: string[];
  annotations: Annotation[];
  /** Legacy `::set-output` / `::save-state` values (still honoured, with the runner's deprecation warning). */
  legacyOutputs: Map<string, string>;
  legacyState: Map<string, string>;
  /** A command the runner refuses (add-path, set-env) fails the step. */
  commandFailed: boolean;
  cancelled: boolean;
  timedOut: boolean;
}

const SET_OUTPUT_DEPRECATED =
  'The `set-output` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';
const SAVE_STATE_DEPRECATED =
  'The `save-state` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/';

export function runStepProcess(options: ProcessStepOptions): Promise<ProcessStepResult> {
  const result: ProcessStepResult = {
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    log: [],
    annotations: [],
    legacyOutputs: new Map(),
    legacyState: new Map(),
    commandFailed: false,
    cancelled: false,
    timedOut: false,
  };
  const commands = new CommandProcessor(options, result);

  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) options.onStart?.(child.pid);
    const timers: NodeJS.Timeout[] = [];
    let stopping = false;
    const stop = (): void => {
      if (stopping || child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      child.kill('SIGINT');
      timers.push(
        setTimeout(() => {
          child.kill('SIGTERM');
          timers.push(setTimeout(() => child.kill('SIGKILL'), options.grace.sigtermMs));
        }, options.grace.sigintMs),
      );
    };
    const onAbort = (): void => {
      result.cancelled = true;
      stop();
    };
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          result.timedOut = true;
          stop();
        }, options.timeoutMs),
      );
    }

    const attach = (stream: NodeJS.ReadableStream, which: 'stdout' | 'stderr'): void => {
      const decoder = new StringDecoder('utf8');
      let pending = '';
      stream.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        result[which] += text;
        pending += text;
        let lf = pending.indexOf('\n');
        while (lf >= 0) {
          commands.line(pending.slice(0, lf).replace(/\r$/, ''));
          pending = pending.slice(lf + 1);
          lf = pending.indexOf('\n');
        }
      });
      stream.on('end', () => {
        const rest = pending + decoder.end();
        if (rest !== '') {
          if (rest !== pending) result[which] += rest.slice(pending.length);
          commands.line(rest.replace(/\r$/, ''));
        }
        pending = '';
      });
    };
    attach(child.stdout, 'stdout');
    attach(child.stderr, 'stderr');

    child.on('exit', () => {
      // A process left in the background can hold stdout open. After a normal exit the runner keeps reading
      // until the pipe closes (so such a step keeps running, as on GitHub); after a cancel or timeout it
      // stops waiting, so drain briefly and stop reading.
      if (stopping) {
        timers.push(
          setTimeout(() => {
            child.stdout.destroy();
            child.stderr.destroy();
          }, 200),
        );
      }
    });
    child.on('error', (error) => {
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener('abort', onAbort);
      result.exitCode = code;
      result.signal = signal;
      resolve(result);
    });
  });
}

/** Interprets workflow commands line by line, in arrival order, writing the masked log. */
class CommandProcessor {
  #stopToken: string | undefined;
  #echo = false;

  constructor(
    private readonly options: ProcessStepOptions,
    private readonly result: ProcessStepResult,
  ) {}

  line(raw: string): void {
    const command = parseWorkflowCommand(raw);
    if (command === undefined) return this.#write(raw);
    const name = command.command.toLowerCase();
    if (this.#stopToken !== undefined) {
      if (command.command === this.#stopToken) {
        this.#stopToken = undefined;
        return;
      }
      return this.#write(raw);
    }
    if (this.#echo) this.#write(raw);
    switch (name) {
      case 'add-mask':
        if (command.data.trim() === '')
          this.#annotate('warning', "Can't add secret mask for empty string in ##[add-mask] command.");
        else this.options.masker.add(command.data.trim());
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.#annotate(name, command.data, command.properties);
        return;
      case 'debug':
        if (this.options.debug) this.#write(`##[debug]${command.data}`);
        return;
      case 'group':
        return this.#write(`##[group]${command.data}`);
      case 'endgroup':
        return this.#write('##[endgroup]');
      case 'echo':
        this.#echo = command.data.trim().toLowerCase() === 'on';
        return;
      case 'stop-commands':
        this.#stopToken = command.data;
        return;
      case 'set-output':
        this.#annotate('warning', SET_OUTPUT_DEPRECATED);
        if (command.properties['name'] !== undefined)
          this.result.legacyOutputs.set(command.properties['name'], command.data);
        return;
      case 'save-state':
        this.#annotate('warning', SAVE_STATE_DEPRECATED);
        if (command.properties['name'] !== undefined)
          this.result.legacyState.set(command.properties['name'], command.data);
        return;
      case 'add-path':
      case 'set-env':
        if (this.options.env['ACTIONS_ALLOW_UNSECURE_COMMANDS'] !== 'true') {
          this.#annotate(
            'error',
            `Unable to process command '${raw}' successfully.\nThe \`${name}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`,
          );
          this.result.commandFailed = true;
          return;
        }
        return this.#write(raw);
      default:
        return this.#write(raw);
    }
  }

  #annotate(level: Annotation['level'], message: string, properties: Record<string, string> = {}): void {
    const masked = this.options.masker.mask(message);
    this.result.annotations.push({ level, message: masked, properties });
    for (const part of masked.split('\n')) this.#write(`##[${level}]${part}`);
  }

  #write(line: string): void {
    this.result.log.push(this.options.masker.mask(line));
  }
}
