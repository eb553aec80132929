// What the server does to seal a bundle: wrap manifest.json's digest and the files' digests in an in-toto
// Statement and sign it as a DSSE envelope. The server must first check the manifest against its own
// record of the session (steps, approvals, chain heads it was sent) - signing is an attestation.

import { dsseSign } from './dsse.js';
import type { DsseEnvelope } from './dsse.js';
import { IN_TOTO_PAYLOAD_TYPE, statementFor } from './in-toto.js';
import { parseManifest } from './manifest.js';
import type { SigningKey } from './signing-keys.js';
import { canonicalJson } from '../recording/canonical-json.js';
import { GuardError } from '../lib/errors.js';

export function signManifest(manifestBytes: Uint8Array, key: SigningKey, now = new Date()): DsseEnvelope {
  const manifest = parseManifest(manifestBytes);
  if (typeof manifest === 'string')
    throw new GuardError('BAD_INPUT', `guard: cannot sign the audit manifest: ${manifest}`);
  if (key.notAfter !== undefined && now.toISOString() >= key.notAfter) {
    throw new GuardError(
      'CONFIG_INVALID',
      `guard: signing key ${key.keyId} was retired at ${key.notAfter}; sign with the active key`,
    );
  }
  const statement = statementFor(manifestBytes, manifest, now);
  return dsseSign(Buffer.from(canonicalJson(statement), 'utf8'), IN_TOTO_PAYLOAD_TYPE, key);
}

export function serialiseEnvelope(envelope: DsseEnvelope): Buffer {
  return Buffer.from(`${JSON.stringify(envelope, null, 2)}\n`, 'utf8');
}
