// `guard audit verify` and `verify-ledger` as a compliance officer runs them: real files, a real HTTP server
// for --server, exit codes and printed reports.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLedgerEntry, ledgerExportLine, signCheckpoint } from '../ledger.js';
import type { LedgerEntry } from '../ledger.js';
import { KEYS_WELL_KNOWN_PATH, generateSigningKey, keysDocument } from '../signing-keys.js';
import { runAuditCommand } from '../verify-command.js';
import { makeBundle } from './make-bundle.js';

let root: string;
let bundle: string;
let keyFile: string;
let server: Server;
let serverUrl: string;
const key = generateSigningKey('ed25519', new Date(Date.UTC(2024, 0, 1)));

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCommand(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guard-audit-cmd-'));
  bundle = join(root, 'guard-audit-9001-1-deploy');
  await makeBundle(bundle, key, new Date(Date.UTC(2025, 0, 1, 13)));
  keyFile = join(root, 'keys.json');
  await writeFile(keyFile, JSON.stringify(keysDocument({ active: key, retired: [] })));
  server = createServer((req, res) => {
    if (req.url === KEYS_WELL_KNOWN_PATH) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(keysDocument({ active: key, retired: [] })));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('guard audit verify', () => {
  it('exits 0 and prints who ran what, who approved, statements and masked counts, offline with --key', async () => {
    const { code, stdout } = await run(['verify', bundle, '--key', keyFile]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^VALID {2}.*guard-audit-9001-1-deploy$/m);
    expect(stdout).toContain('session sess-1  acme/shop  run 9001 attempt 1  job deploy');
    expect(stdout).toMatch(/^ {2}2 +Migrate +sql +approved +0 +alice \(approved via pr-comment\) +3 +4$/m);
    expect(stdout).toContain('SQL statements: 3; masked values by type: email 8');
  });

  it('exits 1 and names the first bad file and event', async () => {
    const tampered = join(root, 'tampered');
    await makeBundle(tampered, key, new Date(Date.UTC(2025, 0, 1, 13)));
    const events = join(tampered, 'events.jsonl');
    const lines = (await readFile(events, 'utf8')).split('\n');
    lines.splice(4, 1);
    await writeFile(events, lines.join('\n'));
    const { code, stdout } = await run(['verify', tampered, '--key', keyFile]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^INVALID/);
    expect(stdout).toContain(
      'events.jsonl (event 6): line 5: chain broken: seq 6 follows seq 4: event 5 is missing (removed)',
    );
  });

  it('fetches the keys from --server and says that is not an offline proof', async () => {
    const { code, stderr } = await run(['verify', bundle, '--server', serverUrl]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/for offline proof pin them with --key/);
  });

  it('prints JSON for machines', async () => {
    const { code, stdout } = await run(['verify', bundle, '--key', keyFile, '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { ok: boolean }[])[0]!.ok).toBe(true);
  });

  it('exits 2 on usage mistakes: no keys, no path, unknown flag', async () => {
    expect(await run(['verify', bundle])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no trusted keys/) as unknown,
    });
    expect((await run(['verify'])).code).toBe(2);
    expect((await run(['verify', bundle, '--kee', keyFile])).code).toBe(2);
    expect((await run(['nope'])).code).toBe(2);
  });
});

describe('guard audit verify-ledger', () => {
  async function ledgerFile(name: string, edit?: (rows: LedgerEntry[]) => void): Promise<string> {
    const rows: LedgerEntry[] = [];
    for (let i = 1; i <= 4; i += 1)
      rows.push(
        appendLedgerEntry(rows.at(-1), {
          kind: 'session',
          sessionId: `s${i}`,
          repository: 'acme/shop',
          manifestSha256: 'a'.repeat(64),
        }),
      );
    const checkpoint = signCheckpoint(rows.at(-1)!, key);
    edit?.(rows);
    const path = join(root, name);
    await writeFile(path, [...rows, checkpoint].map(ledgerExportLine).join(''));
    return path;
  }

  it('exits 0 for an intact export and 1 for a truncated one', async () => {
    const ok = await run(['verify-ledger', await ledgerFile('ledger.jsonl'), '--key', keyFile]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(
      /^VALID {2}ledger: rows 1-4, 1 checkpoint\(s\), last verified checkpoint at row 4$/m,
    );
    const cut = await run([
      'verify-ledger',
      await ledgerFile('cut.jsonl', (rows) => rows.pop()),
      '--key',
      keyFile,
    ]);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/covers row 4 but the ledger ends at row 3 \(the ledger was truncated\)/);
  });
});
