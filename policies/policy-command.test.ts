// `guard policy ...` as a user runs it: real folders, real files, exit codes and output.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runPolicyCommand } from './policy-command.js';
import { claims } from './test/fixtures.js';

const here = fileURLToPath(new URL('.', import.meta.url));

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => Buffer.concat(chunks).toString('utf8') });
}

async function run(...argv: string[]) {
  const stdout = sink();
  const stderr = sink();
  const code = await runPolicyCommand(argv, { stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guard-policy-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('guard policy test', () => {
  it.each(['default', 'examples'])('passes on the shipped %s policies', async (name) => {
    const r = await run('test', join(here, name), '--verbose');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^PASS: (\d+)\/\1 test cases passed$/m);
    expect(r.code).toBe(0);
  });

  it('fails with exit code 1 and names the file, line and the difference', async () => {
    const dir = await folder({
      'p.yml': 'kind: repository\nname: p\nmatch: { repository: acme/shop }\n',
      'sub/p_test.yml':
        'claims: { repository: acme/shop }\ntests:\n  - name: wrong\n    step: { script: "ls" }\n    expect: { action: block }\n',
    });
    const r = await run('test', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL sub/p_test.yml:3: wrong\n  expected block, got allow');
    expect(r.out).toContain('FAIL: 0/1 test cases passed');
  });

  it('refuses a folder without test cases', async () => {
    const dir = await folder({ 'p.yml': 'kind: repository\nname: p\nmatch: { repository: acme/shop }\n' });
    const r = await run('test', dir);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('no test cases');
  });
});

describe('guard policy check', () => {
  it('accepts a valid folder and warns about matching by name only', async () => {
    const dir = await folder({ 'p.yml': 'kind: repository\nname: p\nmatch: { repository: acme/shop }\n' });
    const r = await run('check', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok: 1 policies');
    expect(r.err).toContain('warning: p.yml: matches repository by name only');
  });

  it('names file, line and field of every error and exits 1', async () => {
    const dir = await folder({
      'a.yml': 'kind: repository\nname: a\nmatch: { repository: acme/shop }\napprovals:\n  min: 0\n',
      'b.yml': 'kind: repository\nname: b\nmatch: { repository: acme/shop }\nrecording: maybe\n',
      'c_test.yml': 'tests:\n  - name: x\n    expect: { sesion: granted }\n',
    });
    const r = await run('check', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a.yml:5: approvals.min: must be >= 1');
    expect(r.err).toContain('b.yml:4: recording: must be one of "strict", "best_effort"');
  });

  it('validates test files too', async () => {
    const dir = await folder({
      'a.yml': 'kind: repository\nname: a\nmatch: { repository: acme/shop }\n',
      'a_test.yml': 'tests:\n  - name: x\n    expect: { sesion: granted }\n',
    });
    const r = await run('check', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a_test.yml:3: tests[0].expect.sesion: unknown field');
  });

  it('refuses an organization floor being weakened, naming both files', async () => {
    const dir = await folder({
      'org.yml':
        'kind: organization\nname: org\nmatch: { repository_owner_id: 4000 }\napprovals: { min: 2 }\n',
      'repo.yml': 'kind: repository\nname: repo\nmatch: { repository_id: 1 }\napprovals: { min: 1 }\n',
    });
    const r = await run('check', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'repo.yml:4: approvals.min: 1 is below the floor of 2 (floor set by organization policy "org", org.yml:4)',
    );
  });

  it('exits 2 on a usage mistake', async () => {
    expect((await run('check')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });
});

describe('guard policy explain', () => {
  async function claimsFile(overrides: Parameters<typeof claims>[0]): Promise<string> {
    const dir = await folder({ 'claims.json': JSON.stringify(claims(overrides)) });
    return join(dir, 'claims.json');
  }

  it('prints the effective policy, why each policy matched, each value and the rules', async () => {
    const r = await run(
      'explain',
      join(here, 'examples'),
      '--claims',
      await claimsFile({}),
      '--step',
      'terraform apply',
      '--sql',
      'DROP TABLE orders',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'MATCH    acme-org (organization, acme-org.yml): repository_owner "acme" matches "acme"; repository_owner_id "4000" matches "4000"',
    );
    expect(r.out).toContain(
      'NO MATCH acme-shop-previews (repository, acme-shop-previews.yml): environment "production" does not match "preview"; event_name "push" does not match "pull_request"',
    );
    expect(r.out).toContain('Effective policy: acme-org + acme-shop-production');
    expect(r.out).toContain(
      'approvals.min = 2: the highest of (acme-org: 1, acme-shop-production: 2; default 1)',
    );
    expect(r.out).toContain('acme-org.yml sql[0]: block when drop|truncate');
    expect(r.out).toContain('Step "step": require-approval by acme-shop-production.yml steps[0]');
    expect(r.out).toContain('SQL: block by acme-org.yml sql[0]');
    expect(r.out).toContain('reviewer permission maintain, pull request reviews do not count');
    expect(r.out).toContain('  runners: labels any; workflows any; require guard no; job approval no\n');
  });

  it('shows the runner gates of a job on a self-hosted runner', async () => {
    const r = await run(
      'explain',
      join(here, 'examples'),
      '--claims',
      await claimsFile({ runner_environment: 'self-hosted' }),
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '  runners: labels acme-prod-* (acme-shop-runners); workflows acme/shop/.github/workflows/deploy.yml@refs/heads/main|acme/shop/.github/workflows/release.yml@refs/tags/v* (acme-shop-runners); require guard yes; job approval yes',
    );
    expect(r.out).toContain(
      'runners.job-approval = true: true if any policy says true (acme-org: not set, acme-shop-production: not set, acme-shop-runners: true; default false)',
    );
  });

  it('exits 1 and says why when the job gets no session', async () => {
    const r = await run(
      'explain',
      join(here, 'examples'),
      '--claims',
      await claimsFile({ repository_owner_id: '1', repository_id: '2' }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('Decision: no session.');
    expect(r.out).toContain('repository_owner_id "1" does not match "4000"');
  });

  it('reads the claims from a token too (payload only; explain verifies nothing)', async () => {
    const payload = Buffer.from(JSON.stringify(claims({ environment: 'staging' }))).toString('base64url');
    const dir = await folder({ 'token.jwt': `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln\n` });
    const r = await run('explain', join(here, 'examples'), '--claims', join(dir, 'token.jwt'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Effective policy: acme-org\n');
  });

  it('needs --claims', async () => {
    const r = await run('explain', join(here, 'examples'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('--claims FILE.json is required');
  });
});

describe('guard policy schema', () => {
  it('prints the JSON Schema editors use', async () => {
    const r = await run('schema');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toHaveProperty('title', 'guard policy');
  });
});
