// Decoders for the message payloads the proxy looks inside. Each takes a Frame's payload (a Buffer view)
// and returns plain data; messages the proxy only forwards are never decoded.

import { BufferReader } from './buffer-reader.js';
import { ProtocolError } from './protocol-error.js';
import { StartupCode } from './message-codes.js';

export type StartupMessage =
  | { readonly kind: 'startup'; readonly version: number; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly pid: number; readonly secret: number };

export function decodeStartup(payload: Buffer): StartupMessage {
  const r = new BufferReader(payload);
  const version = r.int32();
  if (version === StartupCode.SSLRequest) return { kind: 'ssl' };
  if (version === StartupCode.GSSENCRequest) return { kind: 'gssenc' };
  if (version === StartupCode.CancelRequest) return { kind: 'cancel', pid: r.int32(), secret: r.int32() };
  const params: Record<string, string> = {};
  while (r.remaining > 1) {
    const name = r.cstring();
    params[name] = r.cstring();
  }
  return { kind: 'startup', version, params };
}

export function decodeQuery(payload: Buffer): string {
  return new BufferReader(payload).cstring();
}

export interface ParseMessage {
  readonly name: string;
  readonly text: string;
  readonly paramTypes: readonly number[];
}

export function decodeParse(payload: Buffer): ParseMessage {
  const r = new BufferReader(payload);
  const name = r.cstring();
  const text = r.cstring();
  const count = r.int16();
  const paramTypes: number[] = [];
  for (let i = 0; i < count; i++) paramTypes.push(r.uint32());
  return { name, text, paramTypes };
}

export interface BindMessage {
  readonly portal: string;
  readonly statement: string;
  readonly paramFormats: readonly number[];
  readonly params: readonly (Buffer | null)[];
  readonly resultFormats: readonly number[];
}

export function decodeBind(payload: Buffer): BindMessage {
  const r = new BufferReader(payload);
  const portal = r.cstring();
  const statement = r.cstring();
  const paramFormats = int16List(r);
  const paramCount = r.int16();
  const params: (Buffer | null)[] = [];
  for (let i = 0; i < paramCount; i++) {
    const length = r.int32();
    params.push(length === -1 ? null : r.bytes(length));
  }
  const resultFormats = int16List(r);
  return { portal, statement, paramFormats, params, resultFormats };
}

/** Describe and Close share a shape: 'S' for a prepared statement, 'P' for a portal, then the name. */
export interface TargetMessage {
  readonly target: 'S' | 'P';
  readonly name: string;
}

export function decodeTarget(payload: Buffer): TargetMessage {
  const r = new BufferReader(payload);
  const target = String.fromCharCode(r.int8());
  if (target !== 'S' && target !== 'P') throw new ProtocolError(`Describe/Close target must be 'S' or 'P'`);
  return { target, name: r.cstring() };
}

export function decodeExecute(payload: Buffer): { readonly portal: string; readonly maxRows: number } {
  const r = new BufferReader(payload);
  return { portal: r.cstring(), maxRows: r.int32() };
}

/** SASLInitialResponse: the chosen mechanism and the client-first message. */
export function decodeSaslInitial(payload: Buffer): { readonly mechanism: string; readonly data: Buffer } {
  const r = new BufferReader(payload);
  const mechanism = r.cstring();
  const length = r.int32();
  return { mechanism, data: length === -1 ? Buffer.alloc(0) : r.bytes(length) };
}

export function decodeAuthentication(payload: Buffer): { readonly code: number; readonly data: Buffer } {
  const r = new BufferReader(payload);
  return { code: r.int32(), data: r.rest() };
}

/** The SASL mechanisms an AuthenticationSASL message offers. */
export function decodeSaslMechanisms(data: Buffer): string[] {
  const r = new BufferReader(data);
  const mechanisms: string[] = [];
  while (r.remaining > 1) mechanisms.push(r.cstring());
  return mechanisms;
}

/** ErrorResponse / NoticeResponse fields in wire order (order is kept when the message is rebuilt). */
export type ErrorFields = readonly (readonly [number, string])[];

export function decodeErrorFields(payload: Buffer): ErrorFields {
  const r = new BufferReader(payload);
  const fields: [number, string][] = [];
  while (r.remaining > 0) {
    const type = r.int8();
    if (type === 0) break;
    fields.push([type, r.cstring()]);
  }
  return fields;
}

export interface FieldDescription {
  readonly name: string;
  /** OID of the table the column comes from, 0 when it is an expression. */
  readonly tableOid: number;
  /** Attribute number of the column in that table, 0 when it is an expression. */
  readonly attnum: number;
  readonly typeOid: number;
  readonly typeSize: number;
  readonly typeMod: number;
  /** 0 text, 1 binary. */
  readonly format: number;
}

export function decodeRowDescription(payload: Buffer): FieldDescription[] {
  const r = new BufferReader(payload);
  const count = r.int16();
  const fields: FieldDescription[] = [];
  for (let i = 0; i < count; i++) {
    fields.push({
      name: r.cstring(),
      tableOid: r.uint32(),
      attnum: r.int16(),
      typeOid: r.uint32(),
      typeSize: r.int16(),
      typeMod: r.int32(),
      format: r.int16(),
    });
  }
  return fields;
}

/** DataRow columns as views into the payload; null for SQL NULL. */
export function decodeDataRow(payload: Buffer): (Buffer | null)[] {
  const r = new BufferReader(payload);
  const count = r.int16();
  const values: (Buffer | null)[] = [];
  for (let i = 0; i < count; i++) {
    const length = r.int32();
    values.push(length === -1 ? null : r.bytes(length));
  }
  return values;
}

export function decodeCommandComplete(payload: Buffer): string {
  return new BufferReader(payload).cstring();
}

export function decodeReadyForQuery(payload: Buffer): number {
  return new BufferReader(payload).int8();
}

export function decodeParameterStatus(payload: Buffer): { readonly name: string; readonly value: string } {
  const r = new BufferReader(payload);
  return { name: r.cstring(), value: r.cstring() };
}

export function decodeBackendKeyData(payload: Buffer): { readonly pid: number; readonly secret: number } {
  const r = new BufferReader(payload);
  return { pid: r.int32(), secret: r.int32() };
}

/** CopyInResponse / CopyOutResponse / CopyBothResponse: overall format (0 text, 1 binary) and per column. */
export function decodeCopyResponse(payload: Buffer): {
  readonly format: number;
  readonly columnFormats: number[];
} {
  const r = new BufferReader(payload);
  const format = r.int8();
  return { format, columnFormats: int16List(r) };
}

/** Rows affected from a CommandComplete tag ("INSERT 0 5", "UPDATE 3", "SELECT 10"); undefined if none. */
export function rowsFromCommandTag(tag: string): number | undefined {
  const last = tag.lastIndexOf(' ');
  if (last < 0) return undefined;
  const n = Number(tag.slice(last + 1));
  return Number.isInteger(n) ? n : undefined;
}

function int16List(r: BufferReader): number[] {
  const count = r.int16();
  const list: number[] = [];
  for (let i = 0; i < count; i++) list.push(r.int16());
  return list;
}
