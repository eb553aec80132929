// Delivers webhooks the way GitHub does: a POST with the JSON payload, `X-GitHub-Event`,
// `X-GitHub-Delivery` (a GUID) and `X-Hub-Signature-256` computed with @octokit/webhooks' real signing
// function. Options make hostile deliveries (a wrong secret, a forged signature, a replayed id).
import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';

export interface WebhookDelivery {
  event: string;
  payload: unknown;
  /** Signs with this secret (default: the stand-in's). */
  secret?: string;
  /** Sends this signature instead of computing one. */
  signature?: string;
  /** Reuses a delivery id (a replay); default a fresh GUID. */
  deliveryId?: string;
  /** Sends these exact bytes instead of JSON.stringify(payload). */
  rawBody?: string;
}

export interface DeliveryResult {
  deliveryId: string;
  status: number;
  body: unknown;
}

export async function deliverWebhook(
  url: string,
  defaultSecret: string,
  hookId: number,
  delivery: WebhookDelivery,
): Promise<DeliveryResult> {
  const body = delivery.rawBody ?? JSON.stringify(delivery.payload);
  const signature =
    delivery.signature ?? (await new Webhooks({ secret: delivery.secret ?? defaultSecret }).sign(body));
  const deliveryId = delivery.deliveryId ?? randomUUID();
  const payload = delivery.payload as { installation?: { id?: number } } | undefined;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/guard-stand-in',
      'x-github-event': delivery.event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': String(hookId),
      'x-github-hook-installation-target-type': 'integration',
      'x-github-hook-installation-target-id': String(payload?.installation?.id ?? ''),
      'x-hub-signature-256': signature,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // keep the text
  }
  return { deliveryId, status: response.status, body: parsed };
}
