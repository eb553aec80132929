// POST /v1/github/webhooks: verify the signature (any configured secret, newest first), refuse a replay,
// answer 202 at once and do the work in the background: GitHub gives a delivery 10 seconds.
import { Webhooks, type EmitterWebhookEvent } from '@octokit/webhooks';
import type { ServerContext } from '../context.js';
import { recordEvent } from '../events.js';
import type { ApiRequest, ApiResponse, Handler } from '../http/router.js';
import type { BackgroundWork } from './background.js';
import { acceptDelivery, finishDelivery } from './deliveries.js';

/** Events guard acts on; everything else is acknowledged and dropped. */
export const HANDLED_EVENTS = [
  'issue_comment',
  'check_run',
  'pull_request_review',
  'deployment_protection_rule',
] as const;

export type Dispatch = (event: EmitterWebhookEvent) => Promise<string>;

export function webhookHandler(options: {
  ctx: ServerContext;
  secrets: readonly string[];
  background: BackgroundWork;
  dispatch: Dispatch;
}): Handler {
  const { ctx, background, dispatch } = options;
  // One verifier per secret, so the log can say when a delivery still uses an old secret.
  const verifiers = options.secrets.map((secret) => new Webhooks({ secret }));
  return async (request) => {
    const event = header(request, 'x-github-event');
    const delivery = header(request, 'x-github-delivery');
    const signature = header(request, 'x-hub-signature-256');
    if (!event || !delivery || !/^[0-9A-Za-z-]{1,64}$/.test(delivery))
      return failure(400, 'BAD_INPUT', 'guard: a webhook needs X-GitHub-Event and X-GitHub-Delivery headers');
    const raw = rawBodyOf(request);
    const matched = signature ? await whichSecret(verifiers, raw, signature) : -1;
    if (matched < 0) {
      await recordEvent(ctx.db, null, 'security.refused', {
        stage: 'webhook',
        code: 'WEBHOOK_SIGNATURE_INVALID',
        event,
        delivery,
      });
      ctx.log(`webhook ${delivery} (${event}) refused: signature does not verify`);
      // Nothing of the payload is processed, stored or echoed.
      return failure(
        401,
        'WEBHOOK_SIGNATURE_INVALID',
        'guard: the webhook signature (X-Hub-Signature-256) does not match any configured secret',
      );
    }
    if (matched > 0)
      ctx.log(
        `webhook ${delivery} verified with an older secret (#${matched + 1}); finish the secret rotation`,
      );
    const payload = request.body as { action?: unknown } | undefined;
    const action = typeof payload?.action === 'string' ? payload.action : undefined;
    if (event === 'ping') return { status: 200, body: { ok: true, pong: true } };
    if (!(await acceptDelivery(ctx.db, { id: delivery, event, action, rawBody: raw }))) {
      await recordEvent(ctx.db, null, 'security.refused', {
        stage: 'webhook',
        code: 'DELIVERY_REPLAYED',
        event,
        delivery,
      });
      return { status: 200, body: { ok: true, duplicate: true } };
    }
    if (!(HANDLED_EVENTS as readonly string[]).includes(event)) {
      await finishDelivery(ctx.db, delivery, 'ignored: event not handled');
      return { status: 202, body: { ok: true, ignored: true } };
    }
    background.run(`webhook ${delivery} (${event}.${action ?? ''})`, async () => {
      let outcome: string;
      try {
        outcome = await dispatch({ id: delivery, name: event, payload } as EmitterWebhookEvent);
      } catch (error) {
        outcome = `failed: ${error instanceof Error ? error.message : String(error)}`;
        await finishDelivery(ctx.db, delivery, outcome);
        throw error;
      }
      await finishDelivery(ctx.db, delivery, outcome);
    });
    return { status: 202, body: { ok: true, accepted: delivery } };
  };
}

/** Index of the first secret the signature verifies with, or -1. */
async function whichSecret(verifiers: readonly Webhooks[], raw: string, signature: string): Promise<number> {
  for (const [index, verifier] of verifiers.entries()) {
    if (await verifier.verify(raw, signature).catch(() => false)) return index;
  }
  return -1;
}

/**
 * The signature covers the bytes GitHub sent. When the HTTP adapter passes them on (`rawBody`) those are
 * verified; otherwise the parsed body is re-serialised, which matches GitHub's compact JSON except where
 * GitHub escapes characters (e.g. `\u003c`) that JSON.stringify writes plainly.
 */
function rawBodyOf(request: ApiRequest): string {
  const raw = (request as ApiRequest & { rawBody?: Buffer | string }).rawBody;
  if (raw !== undefined) return typeof raw === 'string' ? raw : raw.toString('utf8');
  return request.body === undefined ? '' : JSON.stringify(request.body);
}

function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value ? value : undefined;
}

function failure(status: number, code: string, message: string): ApiResponse {
  return { status, body: { error: { code, message } } };
}
