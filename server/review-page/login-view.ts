// The sign-in view: the reviewer pastes their credential once; the script posts it as JSON (never in a URL,
// and the CSP's form-action 'none' stops a script-less browser from submitting the form at all).
import { html, type Html } from './html.js';

export function loginView(notice?: string): Html {
  return html`<section class="login card">
    <div class="card-head"><h2>Sign in to review guarded steps</h2></div>
    <div class="card-body">
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <form id="login-form" method="post" autocomplete="off">
        <div class="decide">
          <label for="credential">Reviewer credential</label>
          <input
            id="credential"
            name="credential"
            type="password"
            placeholder="gr_..."
            autocomplete="off"
            spellcheck="false"
            required
          />
        </div>
        <div class="actions">
          <button class="primary" type="submit">Sign in</button>
          <span id="login-message" class="message" role="alert"></span>
        </div>
      </form>
      <p class="hint">
        The platform team issues the credential with <code>guard reviewer add LOGIN</code>. It is sent once;
        the page then keeps an 8-hour session in a cookie scripts cannot read.
      </p>
    </div>
  </section>`;
}
