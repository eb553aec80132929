import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dsseSign } from './dsse.js';
import { listFiles } from './bundle-files.js';
import {
  generateSigningKey,
  keysDocument,
  parseTrustedKeys,
  publishKey,
  rotateKeySet,
} from './signing-keys.js';
import type { SigningKey, TrustedKey } from './signing-keys.js';
import { makeBundle } from './test/make-bundle.js';
import { writeZip } from './test/write-zip.js';
import { verifyBundle } from './verify-bundle.js';

let root: string;
let pristine: string;
let dir: string;
let serverKey: SigningKey;
let trusted: TrustedKey[];
const SIGNED_AT = new Date(Date.UTC(2025, 0, 1, 13));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guard-bundle-'));
  pristine = join(root, 'pristine');
  serverKey = generateSigningKey('ed25519', new Date(Date.UTC(2024, 0, 1)));
  trusted = parseTrustedKeys(JSON.stringify({ keys: [publishKey(serverKey)] }));
  await makeBundle(pristine, serverKey, SIGNED_AT);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
let n = 0;
beforeEach(async () => {
  dir = join(root, `case-${(n += 1)}`);
  await cp(pristine, dir, { recursive: true });
});

async function change(file: string, edit: (text: string) => string): Promise<void> {
  const path = join(dir, file);
  await writeFile(path, edit(await readFile(path, 'utf8')));
}
const lines = (text: string) => text.split('\n');

describe('verifyBundle', () => {
  it('accepts an untouched bundle and summarises it', async () => {
    const result = await verifyBundle(dir, { keys: trusted });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.summary).toMatchObject({
      repository: 'acme/shop',
      runId: '9001',
      job: 'deploy',
      keyId: serverKey.keyId,
      signedAt: SIGNED_AT.toISOString(),
      statements: 3,
      maskedByType: { email: 8 },
      policy: 'acme-prod@3',
    });
    expect(result.summary.steps[1]).toMatchObject({
      name: 'Migrate',
      reviewers: ['alice (approved via pr-comment)'],
      statements: 3,
      masked: 4,
    });
  });

  it('names a changed byte in a recording: the file digest and the edited line', async () => {
    await change('steps/1.cast', (t) => t.replace('step 1 output 2', 'step 1 output X'));
    const { ok, problems } = await verifyBundle(dir, { keys: trusted });
    expect(ok).toBe(false);
    expect(problems[0]!.file).toBe('steps/1.cast');
    expect(problems[0]!.message).toMatch(
      /^sha256 mismatch \(manifest says [0-9a-f]{12}\.\.\., file has [0-9a-f]{12}\.\.\.\)$/,
    );
    expect(problems[1]).toEqual({
      file: 'steps/1.cast',
      line: 11,
      event: 5,
      message: 'line 11: chain broken: the line does not match its chain digest (it was edited)',
    });
  });

  it('names a removed event', async () => {
    await change('events.jsonl', (t) =>
      lines(t)
        .filter((_, i) => i !== 2)
        .join('\n'),
    );
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems.map((p) => p.file)).toEqual(['events.jsonl', 'events.jsonl']);
    expect(problems[1]).toEqual({
      file: 'events.jsonl',
      line: 3,
      event: 4,
      message: 'line 3: chain broken: seq 4 follows seq 2: event 3 is missing (removed)',
    });
  });

  it('names two swapped events', async () => {
    await change('events.jsonl', (t) => {
      const l = lines(t);
      [l[1], l[2]] = [l[2]!, l[1]!];
      return l.join('\n');
    });
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems[1]).toEqual({
      file: 'events.jsonl',
      line: 2,
      event: 3,
      message: 'line 2: chain broken: seq 3 follows seq 1; event 2 is at line 3 (events were reordered)',
    });
  });

  it("names a step recording replaced by another step's", async () => {
    await cp(join(dir, 'steps/1.cast'), join(dir, 'steps/2.cast'));
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems[0]!.file).toBe('steps/2.cast');
    expect(problems[0]!.message).toMatch(
      /^sha256 mismatch \(.*\); it is a copy of steps\/1\.cast \(a file was replaced by another step's recording\)$/,
    );
  });

  it('names a removed file and an added one', async () => {
    await rm(join(dir, 'steps/2.cast'));
    await writeFile(join(dir, 'steps/3.cast'), 'extra');
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems).toEqual([
      {
        file: 'steps/2.cast',
        message: 'missing: listed in the manifest but not in the bundle (the file was removed)',
      },
      { file: 'steps/3.cast', message: 'not listed in the manifest (added after signing)' },
    ]);
  });

  it('names a manifest edited after signing (a reviewer changed)', async () => {
    await change('manifest.json', (t) => t.replaceAll('"alice"', '"mallory"'));
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe('manifest.json');
    expect(problems[0]!.message).toMatch(
      /^sha256 mismatch \(the signed statement says [0-9a-f]{64}, file has [0-9a-f]{64}\): the manifest was edited after signing$/,
    );
  });

  it('names a manifest re-signed with another key', async () => {
    const attacker = generateSigningKey();
    await change('manifest.dsse.json', (t) => {
      const env = JSON.parse(t) as { payload: string; payloadType: string };
      return JSON.stringify(dsseSign(Buffer.from(env.payload, 'base64'), env.payloadType, attacker));
    });
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems).toEqual([
      {
        file: 'manifest.dsse.json',
        message: `signed by ${attacker.keyId}, which is not among the 1 trusted key(s): it was signed by another key, or you need the server's current keys`,
      },
    ]);
  });

  it("names a signature made by another key under the server's key id", async () => {
    const attacker = generateSigningKey();
    await change('manifest.dsse.json', (t) => {
      const env = JSON.parse(t) as { payload: string; payloadType: string };
      return JSON.stringify(
        dsseSign(Buffer.from(env.payload, 'base64'), env.payloadType, {
          keyId: serverKey.keyId,
          privateKey: attacker.privateKey,
        }),
      );
    });
    const { problems } = await verifyBundle(dir, { keys: trusted });
    expect(problems[0]!.message).toBe(
      `the signature does not verify with key ${serverKey.keyId}: the signed content was altered, or it was re-signed with another key under that key id`,
    );
  });

  it('names an expired key and a revoked key', async () => {
    const expired = parseTrustedKeys(
      JSON.stringify({ keys: [{ ...publishKey(serverKey), notAfter: '2024-12-31T00:00:00.000Z' }] }),
    );
    expect((await verifyBundle(dir, { keys: expired })).problems).toEqual([
      {
        file: 'manifest.dsse.json',
        message: `signed at ${SIGNED_AT.toISOString()} by key ${serverKey.keyId}, after that key expired (2024-12-31T00:00:00.000Z)`,
      },
    ]);
    const revoked = parseTrustedKeys(JSON.stringify({ keys: [{ ...publishKey(serverKey), revoked: true }] }));
    expect((await verifyBundle(dir, { keys: revoked })).problems[0]!.message).toBe(
      `signed by key ${serverKey.keyId}, which is revoked: nothing it signed is trusted`,
    );
  });

  it('keeps old bundles verifiable after a key rotation', async () => {
    const rotated = rotateKeySet(
      { active: serverKey, retired: [] },
      'ecdsa-p256',
      new Date(Date.UTC(2025, 5, 1)),
    );
    const keys = parseTrustedKeys(JSON.stringify(keysDocument(rotated)));
    expect(keys).toHaveLength(2);
    expect(await verifyBundle(dir, { keys })).toMatchObject({ ok: true });
  });

  it('reads the bundle from a zip, at the root or inside the artifact folder', async () => {
    const entries = await Promise.all(
      (await listFiles(dir)).map(async (p) => [p, await readFile(join(dir, p))] as [string, Buffer]),
    );
    await writeFile(join(root, 'flat.zip'), writeZip(entries));
    expect(await verifyBundle(join(root, 'flat.zip'), { keys: trusted })).toMatchObject({ ok: true });
    const nested = entries.map(
      ([p, b]) =>
        [
          `guard-audit-9001-1-deploy/${p}`,
          p === 'events.jsonl' ? Buffer.from(b.toString().replace('"alice"', '"bob"')) : b,
        ] as [string, Buffer],
    );
    await writeFile(join(root, 'nested.zip'), writeZip(nested));
    const result = await verifyBundle(join(root, 'nested.zip'), { keys: trusted });
    expect(result.problems.map((p) => p.message)).toContain(
      'line 2: event 2 does not match its own hash (the line was edited)',
    );
  });
});
