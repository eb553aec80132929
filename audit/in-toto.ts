// The in-toto Statement v1 the server signs: its subjects are manifest.json and every file of the bundle, its
// predicate names the session and the signing time (used to check the key was valid then).

import { createHash } from 'node:crypto';
import { MANIFEST_FILE } from './manifest.js';
import type { FileRecord, Manifest } from './manifest.js';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const PREDICATE_TYPE = 'https://guard.dev/audit-manifest/v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface AuditPredicate {
  sessionId: string;
  repository: string;
  runId: string;
  runAttempt: string;
  job: string;
  /** When the server signed; a key must have been valid at this time. */
  signedAt: string;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: AuditPredicate;
}

export function statementFor(manifestBytes: Uint8Array, manifest: Manifest, signedAt: Date): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [
      { name: MANIFEST_FILE, digest: { sha256: createHash('sha256').update(manifestBytes).digest('hex') } },
      ...manifest.files.map((f: FileRecord) => ({ name: f.path, digest: { sha256: f.sha256 } })),
    ],
    predicateType: PREDICATE_TYPE,
    predicate: {
      sessionId: manifest.sessionId,
      repository: manifest.identity.repository,
      runId: manifest.identity.run_id,
      runAttempt: manifest.identity.run_attempt,
      job: manifest.job,
      signedAt: signedAt.toISOString(),
    },
  };
}

export function parseStatement(payload: Uint8Array): Statement | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return 'the signed payload is not JSON';
  }
  const s = value as Partial<Statement> | null;
  if (s?._type !== STATEMENT_TYPE)
    return `the signed payload is not an in-toto Statement v1 (_type ${JSON.stringify(s?._type)})`;
  if (s.predicateType !== PREDICATE_TYPE)
    return `the statement's predicateType is ${JSON.stringify(s.predicateType)}, not ${PREDICATE_TYPE}`;
  if (
    !Array.isArray(s.subject) ||
    s.subject.some((x) => typeof x?.name !== 'string' || typeof x.digest?.sha256 !== 'string')
  ) {
    return 'the statement has malformed subjects';
  }
  if (typeof s.predicate?.signedAt !== 'string') return 'the statement has no signedAt';
  return s as Statement;
}
