// Names the table columns behind result columns. RowDescription carries only (table OID, attnum); the
// policy names `table.column`. A side connection to the same upstream, opened on first need and shared
// by all sessions of one proxy, looks OIDs up in pg_attribute once and caches them. It also describes the
// SELECT behind a COPY export, which has no RowDescription of its own.

import { GuardError } from '../lib/errors.js';
import type { ColumnIdentity } from './masking/column-globs.js';
import {
  decodeDataRow,
  decodeErrorFields,
  decodeRowDescription,
  type FieldDescription,
} from './protocol/decode.js';
import { encodeDescribe, encodeParse, encodeQuery, encodeSync } from './protocol/encode.js';
import { BackendCode, ErrorField } from './protocol/message-codes.js';
import { SocketFrames } from './socket-frames.js';
import { closeUpstream, type UpstreamConnection } from './upstream.js';

export interface Described {
  readonly fields: FieldDescription[];
  readonly identities: (ColumnIdentity | undefined)[];
}

export class ColumnCatalog {
  private connection: Promise<{ conn: UpstreamConnection; frames: SocketFrames }> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** table OID -> attnum -> identity; an empty map for an OID that is not a table (looked up, not found). */
  private readonly tables = new Map<number, Map<number, ColumnIdentity>>();

  constructor(private readonly connect: () => Promise<UpstreamConnection>) {}

  /** Whether every OID is already cached (the hot path checks this before awaiting anything). */
  knows(oids: readonly number[]): boolean {
    return oids.every((oid) => oid === 0 || this.tables.has(oid));
  }

  identity(tableOid: number, attnum: number): ColumnIdentity | undefined {
    return this.tables.get(tableOid)?.get(attnum);
  }

  async resolve(oids: readonly number[]): Promise<void> {
    const missing = [...new Set(oids.filter((oid) => oid !== 0 && !this.tables.has(oid)))];
    if (missing.length === 0) return;
    const rows = await this.query(
      `SELECT a.attrelid::int8, a.attnum, n.nspname, c.relname, a.attname FROM pg_catalog.pg_attribute a ` +
        `JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ` +
        `WHERE a.attnum > 0 AND a.attrelid IN (${missing.map((o) => String(o >>> 0)).join(',')})`,
    );
    for (const oid of missing) this.tables.set(oid, new Map());
    for (const [oid, attnum, schema, table, column] of rows) {
      this.tables.get(Number(oid))?.set(Number(attnum), { schema: schema!, table: table!, column: column! });
    }
  }

  /** The result columns a SELECT would return, with their table columns where they come straight from one. */
  async describe(sql: string): Promise<Described> {
    const fields = await this.serial(async () => {
      const { conn, frames } = await this.open();
      conn.socket.write(Buffer.concat([encodeParse('', sql), encodeDescribe('S', ''), encodeSync()]));
      let described: FieldDescription[] = [];
      let failure: string | undefined;
      while (true) {
        const frame = await frames.next();
        if (frame.code === BackendCode.RowDescription) described = decodeRowDescription(frame.payload);
        else if (frame.code === BackendCode.ErrorResponse) failure = errorText(frame.payload);
        else if (frame.code === BackendCode.ReadyForQuery) break;
      }
      if (failure !== undefined) throw catalogError(`describing the exported columns failed: ${failure}`);
      return described;
    });
    await this.resolve(fields.map((f) => f.tableOid));
    return { fields, identities: fields.map((f) => this.identity(f.tableOid, f.attnum)) };
  }

  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = undefined;
    if (pending === undefined) return;
    try {
      closeUpstream((await pending).conn);
    } catch {
      // It never opened: nothing to close.
    }
  }

  private async query(sql: string): Promise<(string | null)[][]> {
    return this.serial(async () => {
      const { conn, frames } = await this.open();
      conn.socket.write(encodeQuery(sql));
      const rows: (string | null)[][] = [];
      let failure: string | undefined;
      while (true) {
        const frame = await frames.next();
        if (frame.code === BackendCode.DataRow) {
          rows.push(decodeDataRow(frame.payload).map((v) => (v === null ? null : v.toString('utf8'))));
        } else if (frame.code === BackendCode.ErrorResponse) {
          failure = errorText(frame.payload);
        } else if (frame.code === BackendCode.ReadyForQuery) {
          break;
        }
      }
      if (failure !== undefined) throw catalogError(`the catalog lookup failed: ${failure}`);
      return rows;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private open(): Promise<{ conn: UpstreamConnection; frames: SocketFrames }> {
    this.connection ??= this.connect().then((conn) => {
      const frames = new SocketFrames(conn.socket, conn.reader);
      conn.socket.on('close', () => {
        // A dropped side connection is reopened on next use.
        this.connection = undefined;
      });
      return { conn, frames };
    });
    const pending = this.connection;
    pending.catch(() => {
      if (this.connection === pending) this.connection = undefined;
    });
    return pending;
  }
}

function errorText(payload: Buffer): string {
  const fields = decodeErrorFields(payload);
  const code = fields.find(([t]) => t === ErrorField.Code)?.[1] ?? '';
  return `${code} ${fields.find(([t]) => t === ErrorField.Message)?.[1] ?? ''}`.trim();
}

function catalogError(why: string): GuardError {
  return new GuardError(
    'SERVER_ERROR',
    `guard pg proxy: ${why}; the result is withheld rather than sent unmasked`,
  );
}
