// The action's inputs, read and validated once (checkout's input-helper pattern). Everything downstream
// takes these settings, never core.getInput.
import * as core from '@actions/core';
import { GuardError } from '../lib/errors.js';

export interface MainSettings {
  server: string;
  audience: string;
  /** Values to mask in addition to what the policy's packs find. */
  mask: string[];
  job: string;
  runnerTemp: string;
}

export interface PostSettings {
  upload: boolean;
  retentionDays: number;
}

export function readMainSettings(env: NodeJS.ProcessEnv = process.env): MainSettings {
  const server = core.getInput('server', { required: true }).trim();
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new GuardError(
      'BAD_INPUT',
      `guard: input 'server' is not a URL ('${server}'); set it to your guard server, e.g. https://guard.example.com`,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new GuardError(
      'BAD_INPUT',
      `guard: input 'server' must be an https URL (plain http only for a server on this machine); got '${server}'`,
    );
  }
  const job = env.GITHUB_JOB ?? '';
  const runnerTemp = env.RUNNER_TEMP ?? '';
  if (!job || !runnerTemp) {
    throw new GuardError(
      'BAD_INPUT',
      'guard: GITHUB_JOB or RUNNER_TEMP is not set; this action runs only inside a GitHub Actions job',
    );
  }
  const mask = core.getMultilineInput('mask').filter((value) => value.length > 0);
  for (const value of mask) core.setSecret(value);
  return {
    server: url.toString().replace(/\/$/, ''),
    audience: core.getInput('audience') || 'guard',
    mask,
    job,
    runnerTemp,
  };
}

export function readPostSettings(): PostSettings {
  const upload = core.getBooleanInput('upload');
  const retentionDays = Number(core.getInput('retention-days') || '0');
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 90) {
    throw new GuardError('BAD_INPUT', `guard: input 'retention-days' must be a whole number from 0 to 90`);
  }
  return { upload, retentionDays };
}
