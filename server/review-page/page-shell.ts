// The frame every review page shares: the strict headers (CSP with a fresh nonce per response, no framing,
// no referrer) and the document around the view.
import { randomBytes } from 'node:crypto';
import { html, unsafeRaw, type Html } from './html.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

export interface RenderedPage {
  body: string;
  headers: Record<string, string>;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Only the inline style and script carrying this response's nonce run; nothing loads from elsewhere. */
export function pageHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'nonce-${nonce}'`,
      "connect-src 'self'",
      'img-src data:',
      "form-action 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

export function renderPage(input: {
  title: string;
  main: Html;
  /** The signed-in reviewer, shown in the bar with a sign-out button. */
  login?: string;
  sessionEnds?: string;
  csrf?: string;
  /** Reload the page this often to show new requests (never while the reviewer is writing). */
  refreshSeconds?: number;
  extraHeaders?: Record<string, string>;
}): RenderedPage {
  const nonce = newNonce();
  // Kept as written: the formatter would add text inside <script> and <style>.
  // prettier-ignore
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${input.csrf ? html`<meta name="guard-csrf" content="${input.csrf}">` : ''}
${input.refreshSeconds ? html`<meta name="guard-refresh" content="${String(input.refreshSeconds)}">` : ''}
<link rel="icon" href="data:,">
<title>${input.title}</title>
<style nonce="${nonce}">${unsafeRaw(PAGE_STYLE)}</style>
</head>
<body>
<header class="bar">
  <div class="brand">guard <span>review</span></div>
  ${input.login ? html`<div class="who">Signed in as <strong>${input.login}</strong>${input.sessionEnds ? html` · session ends ${input.sessionEnds}` : ''}</div>
  <button id="logout" type="button">Sign out</button>` : ''}
</header>
<main>
${input.main}
</main>
<script nonce="${nonce}">${unsafeRaw(PAGE_SCRIPT)}</script>
</body>
</html>
`;
  return { body: page.toString(), headers: { ...pageHeaders(nonce), ...input.extraHeaders } };
}
