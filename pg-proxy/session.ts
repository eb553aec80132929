// One client connection through the proxy: login with the step credential, a connection to the real
// database, then every client message judged and forwarded and every answer recorded and masked. Message
// order is kept end to end; where guard refuses something it makes the server fail in that very place (a
// statement that cannot parse), then swaps the server's error for its own, so the client, the server and
// the record agree on what ran.

import { randomInt } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { describeError } from '../lib/errors.js';
import { ClientLogin } from './client-login.js';
import type { ProxyEvent, StatementEvent } from './events.js';
import { scrubErrorFields } from './masking/error-scrub.js';
import { maskCopyRow } from './masking/copy-mask.js';
import { PASS_THROUGH, maskDataRow, planRows, type RowPlan } from './masking/row-plan.js';
import {
  decodeBind,
  decodeCommandComplete,
  decodeCopyResponse,
  decodeErrorFields,
  decodeExecute,
  decodeParse,
  decodeQuery,
  decodeRowDescription,
  decodeTarget,
  rowsFromCommandTag,
  type FieldDescription,
} from './protocol/decode.js';
import {
  encodeBackendKeyData,
  encodeCancelRequest,
  encodeCopyData,
  encodeDescribe,
  encodeError,
  encodeErrorFields,
  encodeFatal,
  encodeFlush,
  encodeNoticeFields,
  encodeParameterStatus,
  encodeParse,
  encodeQuery,
  encodeReadyForQuery,
} from './protocol/encode.js';
import { FrameReader, type Frame } from './protocol/frame-reader.js';
import { BackendCode, ErrorField, FrontendCode, TransactionStatus } from './protocol/message-codes.js';
import { ProtocolError } from './protocol/protocol-error.js';
import { SqlState } from './protocol/sqlstate.js';
import type { SessionContext } from './session-context.js';
import type { AnalyzedStatement } from './sql/analyze.js';
import { judgeStatement, type Judged, type Refusal } from './statement-judge.js';
import { finishRun, newRun, recordParams, type StatementRun } from './statement-run.js';
import { closeUpstream, connectUpstream, type UpstreamConnection } from './upstream.js';

/** Fails to parse on every PostgreSQL: the server raises an error exactly where guard refuses. */
const REFUSAL_SQL = 'GUARD REFUSED THIS STATEMENT';
/** A named statement, so the failing Parse does not drop the client's unnamed statement. */
const REFUSAL_NAME = 'guard_refusal';

interface Prepared {
  readonly runs: readonly Judged['run'][];
}

interface Portal {
  readonly prepared: Prepared | undefined;
  readonly params: readonly (Buffer | null)[];
  readonly paramFormats: readonly number[];
  /** The client asked for at least one binary-format result column. */
  readonly binary: boolean;
  describe: 'none' | 'pending' | 'done';
  plan: RowPlan | undefined;
  waiters: (() => void)[];
}

type Expectation =
  | { readonly kind: 'query'; readonly runs: StatementRun[]; index: number; readonly substitute?: Buffer }
  | { readonly kind: 'parse'; readonly name: string; readonly substitute?: Buffer }
  | { readonly kind: 'bind' }
  | {
      readonly kind: 'describe';
      readonly target: 'S' | 'P';
      readonly swallow: boolean;
      readonly portal: Portal | undefined;
    }
  | { readonly kind: 'execute'; readonly run: StatementRun; readonly portal: Portal | undefined }
  | { readonly kind: 'close' }
  | { readonly kind: 'sync' };

const UNKNOWN_STATEMENT: AnalyzedStatement = { text: '', class: 'other', tables: [], withoutWhere: false };

export class PgSession {
  readonly id: number;
  private phase: 'login' | 'connecting' | 'ready' | 'closed' = 'login';
  private readonly clientReader = new FrameReader({ untypedFirst: true });
  private readonly login: ClientLogin;
  private upstream: UpstreamConnection | undefined;
  private clientFrames: Frame[] = [];
  private clientIndex = 0;
  private clientPumping = false;
  private backendFrames: Frame[] = [];
  private backendIndex = 0;
  private backendBusy = false;
  private toUpstream: Buffer[] = [];
  private toClient: Buffer[] = [];
  private readonly expectations: Expectation[] = [];
  private readonly prepared = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  /** After guard refused a result mid-stream: drop the server's answers until ReadyForQuery. */
  private swallowing = false;
  private approvalAbort = new AbortController();
  private statements = 0;
  private readonly openedAt = performance.now();
  private readonly key = { pid: randomInt(1, 2 ** 31 - 1), secret: randomInt(0, 2 ** 31 - 1) };
  private readonly pauses = new Set<'catalog' | 'client-full'>();
  private readonly clientAddress: string;
  private pendingEvents: ProxyEvent[] = [];
  /** Inside pumpClient or pumpBackend (they can nest: a close from inside a pump). */
  private pumpDepth = 0;
  private emitScheduled = false;

  constructor(
    private readonly client: Socket,
    private readonly ctx: SessionContext,
  ) {
    this.id = ctx.nextConnectionId();
    this.clientAddress = `${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'}`;
    this.login = new ClientLogin({
      user: ctx.options.clientAuth.user,
      verifier: ctx.verifier,
      database: ctx.options.upstream.database,
    });
    client.setNoDelay(true);
    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    client.on('close', () => this.close('client closed the connection'));
    client.on('error', () => this.close('client connection error'));
  }

  /** A CancelRequest carrying this session's key: stop an approval wait and cancel the running query. */
  cancel(): void {
    this.approvalAbort.abort(new Error('the client cancelled the statement'));
    const key = this.upstream?.backendKey;
    if (key === undefined) return;
    const { host, port } = this.ctx.options.upstream;
    const s = netConnect({ host, port }, () => s.end(encodeCancelRequest(key.pid, key.secret)));
    s.on('error', () => s.destroy());
  }

  close(reason: string): void {
    if (this.phase === 'closed') return;
    const wasReady = this.phase === 'ready';
    this.phase = 'closed';
    this.approvalAbort.abort(new Error(reason));
    this.ctx.cancelKeys.delete(`${this.key.pid}:${this.key.secret}`);
    if (this.upstream !== undefined) closeUpstream(this.upstream);
    if (!this.client.destroyed) this.client.end();
    // Statements still in flight never got their answer: record them as failed with the reason.
    for (const e of this.expectations.splice(0)) {
      if (e.kind === 'execute')
        this.finish(e.run, 'error', { error: { sqlstate: SqlState.ConnectionFailure, message: reason } });
      if (e.kind === 'query') {
        for (const run of e.runs.slice(e.index))
          this.finish(run, 'error', { error: { sqlstate: SqlState.ConnectionFailure, message: reason } });
      }
    }
    this.ctx.stats.open--;
    if (wasReady) {
      this.emit({
        type: 'pg.connection.close',
        connection: this.id,
        statements: this.statements,
        durationMs: Math.round(performance.now() - this.openedAt),
        reason,
      });
    }
  }

  // ---- client side

  private onClientData(chunk: Buffer): void {
    if (this.phase === 'closed') return;
    try {
      for (const frame of this.clientReader.push(chunk)) this.clientFrames.push(frame);
    } catch (error) {
      this.fail('client', error);
      return;
    }
    this.pumpClient();
  }

  /**
   * Handles the client's messages in order. Synchronous unless a message has to wait (an approval, an
   * async policy, a binary result's description): then the rest waits for it, and no promise is made
   * for the messages that do not.
   */
  private pumpClient(): void {
    if (this.clientPumping) return;
    this.clientPumping = true;
    this.pumpDepth++;
    try {
      while (this.clientIndex < this.clientFrames.length && this.phase !== 'closed') {
        const frame = this.clientFrames[this.clientIndex++]!;
        const pending = this.phase === 'login' ? this.loginStep(frame) : this.onFrontend(frame);
        if (pending !== undefined) {
          this.flushUpstream();
          pending.then(
            () => {
              this.clientPumping = false;
              this.pumpClient();
            },
            (error: unknown) => {
              this.clientPumping = false;
              this.fail('client', error);
            },
          );
          return;
        }
      }
      this.clientFrames = [];
      this.clientIndex = 0;
      this.flushUpstream();
    } catch (error) {
      this.fail('client', error);
    } finally {
      this.leavePump();
    }
    this.clientPumping = false;
  }

  private loginStep(frame: Frame): Promise<void> | undefined {
    const step = this.login.step(frame);
    switch (step.kind) {
      case 'continue':
        this.client.write(step.reply);
        if (step.untyped) this.clientReader.expectUntyped(true);
        return undefined;
      case 'cancel':
        this.client.destroy();
        this.ctx.cancelKeys.get(`${step.pid}:${step.secret}`)?.cancel();
        this.phase = 'closed';
        this.ctx.stats.open--;
        return undefined;
      case 'fail':
        this.ctx.stats.refused++;
        this.emit({
          type: 'pg.auth-failed',
          connection: this.id,
          client: this.clientAddress,
          reason: step.reason,
        });
        this.client.end(step.reply);
        this.close(step.reason);
        return undefined;
      case 'done':
        this.client.write(step.reply);
        this.phase = 'connecting';
        return this.connect(step.params);
    }
  }

  private async connect(params: Readonly<Record<string, string>>): Promise<void> {
    let upstream: UpstreamConnection;
    try {
      upstream = await connectUpstream(this.ctx.options.upstream, params);
    } catch (error) {
      const message = describeError(error);
      this.emit({ type: 'pg.upstream-error', connection: this.id, message });
      this.client.end(encodeFatal(SqlState.SqlclientUnableToEstablishSqlconnection, message));
      this.close(message);
      return;
    }
    if (this.phase === 'closed') {
      closeUpstream(upstream);
      return;
    }
    this.upstream = upstream;
    upstream.socket.setNoDelay(true);
    upstream.socket.on('data', (chunk: Buffer) => this.onUpstreamData(chunk));
    upstream.socket.on('close', () => this.onUpstreamClosed());
    upstream.socket.on('error', () => undefined); // 'close' follows and reports it
    const hello = upstream.parameters.map(([name, value]) => encodeParameterStatus(name, value));
    hello.push(
      encodeBackendKeyData(this.key.pid, this.key.secret),
      encodeReadyForQuery(TransactionStatus.Idle),
    );
    this.client.write(Buffer.concat(hello));
    this.ctx.cancelKeys.set(`${this.key.pid}:${this.key.secret}`, this);
    this.phase = 'ready';
    this.emit({
      type: 'pg.connection.open',
      connection: this.id,
      client: this.clientAddress,
      user: this.ctx.options.clientAuth.user,
      database: this.ctx.options.upstream.database,
      ...(params.application_name !== undefined ? { applicationName: params.application_name } : {}),
      upstreamAuth: upstream.authMethod,
      upstreamTls: upstream.tls,
    });
    if (upstream.leftover.length > 0) {
      this.backendFrames.push(...upstream.leftover);
      this.pumpBackend();
    }
  }

  private onFrontend(frame: Frame): Promise<void> | undefined {
    switch (frame.code) {
      case FrontendCode.Query:
        return this.onQuery(frame);
      case FrontendCode.Parse:
        return this.onParse(frame);
      case FrontendCode.Bind:
        this.onBind(frame);
        return undefined;
      case FrontendCode.Describe: {
        const { target, name } = decodeTarget(frame.payload);
        const portal = target === 'P' ? this.portals.get(name) : undefined;
        if (portal !== undefined) portal.describe = 'pending';
        this.send(frame.raw, { kind: 'describe', target, swallow: false, portal });
        return undefined;
      }
      case FrontendCode.Execute:
        return this.onExecute(frame);
      case FrontendCode.Close: {
        const { target, name } = decodeTarget(frame.payload);
        if (target === 'S') this.prepared.delete(name);
        else this.portals.delete(name);
        this.send(frame.raw, { kind: 'close' });
        return undefined;
      }
      case FrontendCode.Sync:
        this.send(frame.raw, { kind: 'sync' });
        return undefined;
      case FrontendCode.Flush:
      case FrontendCode.CopyData:
      case FrontendCode.CopyDone:
      case FrontendCode.CopyFail:
        this.toUpstream.push(frame.raw);
        return undefined;
      case FrontendCode.Terminate:
        this.flushUpstream();
        this.close('client sent Terminate');
        return undefined;
      case FrontendCode.FunctionCall:
        this.refuseSimple({
          sqlstate: SqlState.FeatureNotSupported,
          message:
            'guard pg proxy: the fast-path FunctionCall message is not supported (it bypasses SQL policy)',
          hint: 'call the function with SQL instead, e.g. SELECT lo_get(oid)',
        });
        return undefined;
      default:
        throw new ProtocolError(`unexpected message type ${describeCode(frame.code)} from the client`);
    }
  }

  private onQuery(frame: Frame): Promise<void> | undefined {
    const judged = this.judgeAll('simple', this.ctx.analyze(decodeQuery(frame.payload)));
    if (judged instanceof Promise) return judged.then((j) => this.queryJudged(frame, j));
    this.queryJudged(frame, judged);
    return undefined;
  }

  private queryJudged(frame: Frame, judged: readonly Judged[]): void {
    const refusal = judged.find((j) => j.refusal !== undefined)?.refusal;
    if (refusal !== undefined) {
      this.reportRefused(judged);
      this.refuseSimple(refusal);
      return;
    }
    const runs = judged.map((j) => j.run);
    if (runs[0] !== undefined) runs[0].startedAt = performance.now();
    this.send(frame.raw, { kind: 'query', runs, index: 0 });
  }

  private onParse(frame: Frame): Promise<void> | undefined {
    const { name, text } = decodeParse(frame.payload);
    const judged = this.judgeAll('extended', this.ctx.analyze(text));
    if (judged instanceof Promise) return judged.then((j) => this.parseJudged(frame, name, j));
    this.parseJudged(frame, name, judged);
    return undefined;
  }

  private parseJudged(frame: Frame, name: string, judged: readonly Judged[]): void {
    const refusal = judged.find((j) => j.refusal !== undefined)?.refusal;
    if (refusal !== undefined) {
      this.reportRefused(judged);
      this.refuseExtended(refusal);
      return;
    }
    this.prepared.set(name, { runs: judged.map((j) => j.run) });
    this.send(frame.raw, { kind: 'parse', name });
  }

  private onBind(frame: Frame): void {
    const bind = decodeBind(frame.payload);
    this.portals.set(bind.portal, {
      prepared: this.prepared.get(bind.statement),
      params: bind.params,
      paramFormats: bind.paramFormats,
      binary: bind.resultFormats.some((f) => f === 1),
      describe: 'none',
      plan: undefined,
      waiters: [],
    });
    this.send(frame.raw, { kind: 'bind' });
  }

  private onExecute(frame: Frame): Promise<void> | undefined {
    const { portal: name } = decodeExecute(frame.payload);
    const portal = this.portals.get(name);
    if (this.ctx.masking && portal !== undefined && portal.describe === 'none') {
      // Without the result's shape guard cannot mask it: ask for it, and keep the answer from the client.
      portal.describe = 'pending';
      this.send(encodeDescribe('P', name), { kind: 'describe', target: 'P', swallow: true, portal });
    }
    if (this.ctx.masking && portal?.binary === true && portal.describe === 'pending') {
      // Binary results may be unmaskable; decide before the rows exist. Flush makes the server answer now.
      this.toUpstream.push(encodeFlush());
      return new Promise<void>((resolve) => portal.waiters.push(resolve)).then(() =>
        this.execute(frame, portal),
      );
    }
    this.execute(frame, portal);
    return undefined;
  }

  private execute(frame: Frame, portal: Portal | undefined): void {
    const template = portal?.prepared?.runs[0];
    const run: StatementRun =
      template !== undefined
        ? { ...template, startedAt: performance.now(), maskedValues: 0 }
        : newRun('extended', UNKNOWN_STATEMENT, '', { action: 'allow' }, performance.now());
    if (portal !== undefined && portal.params.length > 0) {
      run.params = recordParams(portal.params, portal.paramFormats, this.ctx.options.maskValue);
    }
    const refusal = portal?.plan?.refusal;
    if (refusal !== undefined) {
      run.decision = { action: 'block', reason: refusal };
      this.report(finishRun(run, this.id, 'blocked', performance.now()));
      this.refuseExtended({ sqlstate: SqlState.FeatureNotSupported, message: `guard: ${refusal}` });
      return;
    }
    this.send(frame.raw, { kind: 'execute', run, portal });
  }

  /** Judges each statement of a string; synchronous unless some judgement has to wait. */
  private judgeAll(
    protocol: 'simple' | 'extended',
    statements: readonly AnalyzedStatement[],
  ): Judged[] | Promise<Judged[]> {
    const judged: Judged[] = [];
    for (let i = 0; i < statements.length; i++) {
      const j = judgeStatement(
        this.ctx,
        protocol,
        statements[i]!,
        this.approvalAbort.signal,
        !refusedAny(judged),
      );
      if (j instanceof Promise) return this.judgeRest(protocol, statements, i, judged, j);
      judged.push(j);
    }
    return judged;
  }

  private async judgeRest(
    protocol: 'simple' | 'extended',
    statements: readonly AnalyzedStatement[],
    from: number,
    judged: Judged[],
    pending: Promise<Judged>,
  ): Promise<Judged[]> {
    judged.push(await pending);
    for (let i = from + 1; i < statements.length; i++) {
      // Once one statement is refused nothing of the string runs: the rest is judged for the record, but
      // no reviewer's time is asked for statements that will not run.
      judged.push(
        await judgeStatement(
          this.ctx,
          protocol,
          statements[i]!,
          this.approvalAbort.signal,
          !refusedAny(judged),
        ),
      );
    }
    if (this.approvalAbort.signal.aborted) this.approvalAbort = new AbortController();
    return judged;
  }

  private reportRefused(judged: readonly Judged[]): void {
    this.ctx.stats.blocked++;
    const now = performance.now();
    for (const j of judged)
      this.report(finishRun(j.run, this.id, j.refusal !== undefined ? 'blocked' : 'not-run', now));
  }

  /** Makes the server fail a simple query where guard refused, and answers with guard's error instead. */
  private refuseSimple(refusal: Refusal): void {
    this.send(encodeQuery(REFUSAL_SQL), {
      kind: 'query',
      runs: [],
      index: 0,
      substitute: refusalMessage(refusal),
    });
  }

  /** The same inside an extended-protocol pipeline: the server then skips to Sync, as after any error. */
  private refuseExtended(refusal: Refusal): void {
    this.send(encodeParse(REFUSAL_NAME, REFUSAL_SQL), {
      kind: 'parse',
      name: REFUSAL_NAME,
      substitute: refusalMessage(refusal),
    });
  }

  private send(message: Buffer, expectation: Expectation): void {
    this.toUpstream.push(message);
    this.expectations.push(expectation);
  }

  private flushUpstream(): void {
    if (this.toUpstream.length === 0 || this.upstream === undefined || this.phase !== 'ready') return;
    const data = this.toUpstream.length === 1 ? this.toUpstream[0]! : Buffer.concat(this.toUpstream);
    this.toUpstream = [];
    if (!this.upstream.socket.write(data)) {
      this.client.pause();
      this.upstream.socket.once('drain', () => this.client.resume());
    }
  }

  // ---- upstream side

  private onUpstreamData(chunk: Buffer): void {
    if (this.phase === 'closed' || this.upstream === undefined) return;
    try {
      for (const frame of this.upstream.reader.push(chunk)) this.backendFrames.push(frame);
    } catch (error) {
      this.fail('upstream', error);
      return;
    }
    if (!this.backendBusy) this.pumpBackend();
  }

  private pumpBackend(): void {
    this.pumpDepth++;
    try {
      while (this.backendIndex < this.backendFrames.length && this.phase === 'ready') {
        const frame = this.backendFrames[this.backendIndex++]!;
        const pending = this.onBackend(frame);
        if (pending !== undefined) {
          this.flushClient();
          this.backendBusy = true;
          this.pause('catalog');
          pending.then(
            () => {
              this.backendBusy = false;
              this.resume('catalog');
              this.pumpBackend();
            },
            (error: unknown) => this.fail('upstream', error),
          );
          return;
        }
      }
      this.backendFrames = [];
      this.backendIndex = 0;
      this.flushClient();
    } catch (error) {
      this.fail('upstream', error);
    } finally {
      this.leavePump();
    }
  }

  private onBackend(frame: Frame): Promise<void> | undefined {
    switch (frame.code) {
      case BackendCode.NoticeResponse: {
        const scrubbed = scrubErrorFields(decodeErrorFields(frame.payload), this.ctx.options.maskValue);
        this.forward(scrubbed === undefined ? frame.raw : encodeNoticeFields(scrubbed));
        return undefined;
      }
      case BackendCode.ParameterStatus:
      case BackendCode.NotificationResponse:
        this.forward(frame.raw);
        return undefined;
      case BackendCode.ErrorResponse:
        this.onError(frame);
        return undefined;
      case BackendCode.ReadyForQuery:
        this.onReady(frame);
        return undefined;
    }
    const head = this.expectations[0];
    if (head === undefined)
      throw new ProtocolError(`unexpected message ${describeCode(frame.code)} from the upstream`);
    switch (head.kind) {
      case 'query':
        return this.onQueryAnswer(head, frame);
      case 'execute':
        return this.onExecuteAnswer(head, frame);
      case 'describe':
        return this.onDescribeAnswer(head, frame);
      default: {
        // ParseComplete, BindComplete, CloseComplete: anything else means guard lost track of the
        // conversation, and forwarding it could pass rows that were never planned for masking.
        const expected = {
          parse: BackendCode.ParseComplete,
          bind: BackendCode.BindComplete,
          close: BackendCode.CloseComplete,
          sync: -1,
        }[head.kind];
        if (frame.code !== expected) {
          throw new ProtocolError(
            `message ${describeCode(frame.code)} arrived while guard expected the answer to ${head.kind}`,
          );
        }
        this.expectations.shift();
        this.forward(frame.raw);
        return undefined;
      }
    }
  }

  private onQueryAnswer(
    head: Extract<Expectation, { kind: 'query' }>,
    frame: Frame,
  ): Promise<void> | undefined {
    const run = head.runs[head.index];
    switch (frame.code) {
      case BackendCode.RowDescription:
        return this.withPlan(frame, (plan) => {
          if (run !== undefined) run.plan = plan;
          if (plan.refusal !== undefined) this.refuseMidStream(run, plan.refusal);
          else this.forward(frame.raw);
        });
      case BackendCode.CommandComplete:
        if (run !== undefined) {
          this.complete(run, frame);
          head.index++;
          const next = head.runs[head.index];
          if (next !== undefined) next.startedAt = performance.now();
        }
        this.forward(frame.raw);
        return undefined;
      default:
        this.onRowsOrCopy(run, frame);
        return undefined;
    }
  }

  private onExecuteAnswer(
    head: Extract<Expectation, { kind: 'execute' }>,
    frame: Frame,
  ): Promise<void> | undefined {
    const run = head.run;
    if (run.plan === undefined && head.portal?.plan !== undefined) run.plan = head.portal.plan;
    switch (frame.code) {
      case BackendCode.CommandComplete:
        this.expectations.shift();
        this.complete(run, frame);
        this.forward(frame.raw);
        return undefined;
      case BackendCode.EmptyQueryResponse:
        this.expectations.shift();
        this.report(finishRun(run, this.id, 'ok', performance.now()));
        this.forward(frame.raw);
        return undefined;
      case BackendCode.PortalSuspended:
        this.expectations.shift();
        this.report(finishRun(run, this.id, 'suspended', performance.now()));
        this.forward(frame.raw);
        return undefined;
      default:
        this.onRowsOrCopy(run, frame);
        return undefined;
    }
  }

  private onDescribeAnswer(
    head: Extract<Expectation, { kind: 'describe' }>,
    frame: Frame,
  ): Promise<void> | undefined {
    const done = (plan: RowPlan): void => {
      this.expectations.shift();
      if (head.portal !== undefined) {
        head.portal.plan = plan;
        head.portal.describe = 'done';
        for (const wake of head.portal.waiters.splice(0)) wake();
      }
      if (!head.swallow) this.forward(frame.raw);
    };
    switch (frame.code) {
      case BackendCode.ParameterDescription:
        if (!head.swallow) this.forward(frame.raw);
        return undefined;
      case BackendCode.NoData:
        done(PASS_THROUGH);
        return undefined;
      case BackendCode.RowDescription:
        if (head.target === 'S') {
          // A statement's description has no result formats yet; the portal's describe decides masking.
          done(PASS_THROUGH);
          return undefined;
        }
        return this.withPlan(frame, done);
      default:
        throw new ProtocolError(`unexpected message ${describeCode(frame.code)} in answer to Describe`);
    }
  }

  /** DataRow and the COPY messages, shared by simple queries and Execute. */
  private onRowsOrCopy(run: StatementRun | undefined, frame: Frame): void {
    const { maskValue } = this.ctx.options;
    switch (frame.code) {
      case BackendCode.DataRow: {
        const plan = run?.plan;
        if (!this.ctx.masking) break;
        if (plan === undefined) {
          this.refuseMidStream(run, 'rows arrived without a row description, so they cannot be masked');
          return;
        }
        if (!plan.active) break;
        const masked = maskDataRow(frame.payload, plan, maskValue);
        if (masked === undefined) break;
        run!.maskedValues += masked.masked;
        this.ctx.stats.maskedValues += masked.masked;
        this.forward(masked.message);
        return;
      }
      case BackendCode.CopyOutResponse: {
        if (!this.ctx.masking) break;
        const { format } = decodeCopyResponse(frame.payload);
        if (run?.copy === undefined) {
          this.refuseMidStream(
            run,
            'a COPY export started that guard did not recognise, so its rows cannot be masked',
          );
          return;
        }
        if (format === 1 && run.copy.mode !== 'pass') {
          this.refuseMidStream(run, 'COPY in binary format cannot be masked; use text or csv format');
          return;
        }
        break;
      }
      case BackendCode.CopyData: {
        const plan = run?.copy;
        if (!this.ctx.masking || plan === undefined) break;
        const masked = maskCopyRow(frame.payload, plan, maskValue);
        if (masked === undefined) break;
        run!.maskedValues += masked.masked;
        this.ctx.stats.maskedValues += masked.masked;
        this.forward(encodeCopyData(masked.data));
        return;
      }
      case BackendCode.CopyBothResponse:
        this.refuseMidStream(run, 'replication (CopyBoth) is not supported through guard');
        return;
      default:
        // CopyInResponse, CopyDone, EmptyQueryResponse of a simple query, and the like pass as they are.
        break;
    }
    this.forward(frame.raw);
  }

  /** Plans masking for a RowDescription; resolves table OIDs through the catalog first when needed. */
  private withPlan(frame: Frame, use: (plan: RowPlan) => void): Promise<void> | undefined {
    if (!this.ctx.masking) {
      use(PASS_THROUGH);
      return undefined;
    }
    const fields = decodeRowDescription(frame.payload);
    const oids = this.ctx.columns.empty ? [] : fields.map((f) => f.tableOid);
    if (this.ctx.catalog.knows(oids)) {
      use(this.plan(fields));
      return undefined;
    }
    return this.ctx.catalog.resolve(oids).then(
      () => use(this.plan(fields)),
      (error: unknown) => use({ active: false, actions: [], refusal: describeError(error) }),
    );
  }

  private plan(fields: readonly FieldDescription[]): RowPlan {
    const identities = this.ctx.columns.empty
      ? []
      : fields.map((f) => this.ctx.catalog.identity(f.tableOid, f.attnum));
    return planRows(fields, identities, this.ctx.columns, this.ctx.options.maskValue !== undefined);
  }

  private onError(frame: Frame): void {
    const fields = decodeErrorFields(frame.payload);
    const scrubbed = scrubErrorFields(fields, this.ctx.options.maskValue);
    const final = scrubbed ?? fields;
    const error = {
      sqlstate: final.find(([t]) => t === ErrorField.Code)?.[1] ?? '',
      message: final.find(([t]) => t === ErrorField.Message)?.[1] ?? '',
    };
    const head = this.expectations[0];
    const substitute = head !== undefined && 'substitute' in head ? head.substitute : undefined;
    this.forward(substitute ?? (scrubbed === undefined ? frame.raw : encodeErrorFields(scrubbed)));
    if (substitute === undefined) this.ctx.stats.errors++;
    if (head === undefined || head.kind === 'sync') {
      // An error outside any statement: a failed implicit COMMIT at Sync, or the server shutting down.
      this.emit({ type: 'pg.error', connection: this.id, ...error });
      return;
    }
    if (head.kind === 'query') {
      const failed = head.runs[head.index];
      if (failed !== undefined) this.finish(failed, 'error', { error });
      for (const run of head.runs.slice(head.index + 1)) this.finish(run, 'not-run');
      head.index = head.runs.length;
      return;
    }
    // Extended protocol: the server skips everything up to the next Sync.
    while (this.expectations.length > 0 && this.expectations[0]!.kind !== 'sync') {
      const skipped = this.expectations.shift()!;
      if (skipped.kind === 'execute')
        this.finish(skipped.run, skipped === head ? 'error' : 'not-run', skipped === head ? { error } : {});
      if (skipped.kind === 'describe' && skipped.portal !== undefined) {
        skipped.portal.describe = 'none';
        for (const wake of skipped.portal.waiters.splice(0)) wake();
      }
      if (skipped.kind === 'parse' && skipped === head && substitute === undefined)
        this.prepared.delete(skipped.name);
    }
  }

  private onReady(frame: Frame): void {
    const head = this.expectations.shift();
    if (head?.kind === 'query') {
      for (const run of head.runs.slice(head.index)) this.finish(run, 'not-run');
    } else if (head !== undefined && head.kind !== 'sync') {
      throw new ProtocolError(`ReadyForQuery arrived while guard expected the answer to ${head.kind}`);
    }
    this.swallowing = false;
    this.forward(frame.raw);
  }

  private complete(run: StatementRun, frame: Frame): void {
    const tag = decodeCommandComplete(frame.payload);
    const rows = rowsFromCommandTag(tag);
    const refused = run.decision.action === 'block';
    this.finish(run, refused ? 'blocked' : 'ok', { tag, ...(rows !== undefined ? { rows } : {}) });
  }

  /**
   * A result turned out to be unmaskable after the server started sending it: the client gets guard's
   * error instead of the rows, and nothing more until ReadyForQuery.
   */
  private refuseMidStream(run: StatementRun | undefined, reason: string): void {
    this.forward(encodeError(SqlState.InsufficientPrivilege, `guard: ${reason}`));
    this.swallowing = true;
    this.ctx.stats.blocked++;
    if (run !== undefined) run.decision = { action: 'block', reason };
  }

  private forward(message: Buffer): void {
    if (!this.swallowing) this.toClient.push(message);
  }

  private flushClient(): void {
    if (this.toClient.length === 0) return;
    const data = this.toClient.length === 1 ? this.toClient[0]! : Buffer.concat(this.toClient);
    this.toClient = [];
    if (!this.client.write(data)) {
      this.pause('client-full');
      this.client.once('drain', () => this.resume('client-full'));
    }
  }

  private pause(why: 'catalog' | 'client-full'): void {
    this.pauses.add(why);
    this.upstream?.socket.pause();
  }

  private resume(why: 'catalog' | 'client-full'): void {
    this.pauses.delete(why);
    if (this.pauses.size === 0) this.upstream?.socket.resume();
  }

  private onUpstreamClosed(): void {
    if (this.phase !== 'ready') return;
    const message = 'guard pg proxy: the upstream database closed the connection';
    this.emit({ type: 'pg.upstream-error', connection: this.id, message });
    this.flushClient();
    this.client.end(
      encodeFatal(
        SqlState.ConnectionFailure,
        message,
        undefined,
        'reconnect; if it repeats, check the database server',
      ),
    );
    this.close(message);
  }

  private fail(side: 'client' | 'upstream', error: unknown): void {
    if (this.phase === 'closed') return;
    const protocol = error instanceof ProtocolError;
    const message = protocol
      ? `guard pg proxy: ${side === 'client' ? 'the client' : 'the upstream database'} sent an invalid message: ${error.message}`
      : `guard pg proxy: internal error: ${describeError(error)}`;
    this.emit({ type: 'pg.protocol-error', connection: this.id, side, message });
    // Nothing buffered for the client is sent: it may be an unmasked part of a broken result.
    this.toClient = [];
    this.client.end(encodeFatal(protocol ? SqlState.ProtocolViolation : SqlState.InternalError, message));
    this.close(message);
  }

  private finish(
    run: StatementRun,
    outcome: StatementEvent['outcome'],
    extra: Parameters<typeof finishRun>[4] = {},
  ): void {
    this.report(finishRun(run, this.id, outcome, performance.now(), extra));
  }

  private report(event: StatementEvent): void {
    this.statements++;
    this.ctx.stats.statements++;
    this.emit(event);
  }

  /**
   * Events wait until the bytes of this round are on their way to the client and the server: recording
   * (hash-chaining, serialising) then never sits between a server's answer and the client. Events of a
   * pump leave when it ends, after its writes; others (a close from outside) on the next turn of the
   * event loop.
   */
  private emit(event: ProxyEvent): void {
    this.pendingEvents.push(event);
    if (this.pumpDepth === 0 && !this.emitScheduled) {
      this.emitScheduled = true;
      setImmediate(() => {
        this.emitScheduled = false;
        this.emitPending();
      });
    }
  }

  private leavePump(): void {
    this.pumpDepth--;
    if (this.pumpDepth === 0 && this.pendingEvents.length > 0) this.emitPending();
  }

  private emitPending(): void {
    const events = this.pendingEvents;
    this.pendingEvents = [];
    for (const event of events) this.ctx.emit(event);
  }
}

function refusedAny(judged: readonly Judged[]): boolean {
  return judged.some((j) => j.refusal !== undefined);
}

function refusalMessage(refusal: Refusal): Buffer {
  return encodeError(refusal.sqlstate, refusal.message, undefined, refusal.hint);
}

function describeCode(code: number): string {
  return code >= 0x20 && code < 0x7f ? `'${String.fromCharCode(code)}'` : `0x${code.toString(16)}`;
}
