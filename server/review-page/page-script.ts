// The review page's only script, inlined under the page's CSP nonce. It posts JSON with the session's CSRF
// token and writes results with textContent only, so no server text is ever parsed as markup.
export const PAGE_SCRIPT = `
(() => {
  'use strict';
  const meta = document.querySelector('meta[name="guard-csrf"]');
  const csrf = meta ? meta.getAttribute('content') || '' : '';

  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-guard-csrf': csrf },
      body: JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    if (!response.ok) {
      const message = data && data.error && typeof data.error.message === 'string'
        ? data.error.message : 'the server answered ' + response.status;
      throw new Error(message);
    }
    return data;
  }

  function say(element, text, kind) {
    if (!element) return;
    element.textContent = text;
    element.className = 'message' + (kind ? ' ' + kind : '');
  }

  const login = document.getElementById('login-form');
  if (login) {
    login.addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = document.getElementById('credential');
      const message = document.getElementById('login-message');
      const credential = input.value.trim();
      if (!credential) { say(message, 'Paste your reviewer credential (it starts with gr_).', 'error'); return; }
      say(message, 'Signing in...', '');
      try {
        await post('/review/login', { credential });
        input.value = '';
        window.location.replace('/review');
      } catch (error) {
        say(message, error.message, 'error');
      }
    });
  }

  const logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', async () => {
      try { await post('/review/logout', {}); } finally { window.location.replace('/review'); }
    });
  }

  // New requests show up without a manual reload: the page reloads every guard-refresh seconds, but never
  // while the reviewer is writing a comment or has just acted (the result message stays readable).
  let lastAction = Date.now();
  document.addEventListener('click', () => { lastAction = Date.now(); });
  document.addEventListener('input', () => { lastAction = Date.now(); });
  const refreshMeta = document.querySelector('meta[name="guard-refresh"]');
  const refreshMs = refreshMeta ? Number(refreshMeta.getAttribute('content')) * 1000 : 0;
  if (refreshMs > 0) {
    setInterval(() => {
      if (document.hidden || Date.now() - lastAction < refreshMs) return;
      for (const area of document.querySelectorAll('textarea')) {
        if (area.value.trim() || area === document.activeElement) return;
      }
      window.location.reload();
    }, refreshMs);
  }

  for (const card of document.querySelectorAll('article.card[data-approval]')) {
    const id = card.getAttribute('data-approval');
    const comment = card.querySelector('textarea');
    const message = card.querySelector('.message');
    const buttons = card.querySelectorAll('button[data-decision]');
    for (const button of buttons) {
      button.addEventListener('click', async () => {
        const decision = button.getAttribute('data-decision');
        const text = comment ? comment.value.trim() : '';
        if (decision === 'deny' && !text) {
          say(message, 'A denial needs a reason: write it in the comment so the author knows what to change.', 'error');
          if (comment) comment.focus();
          return;
        }
        for (const b of buttons) b.disabled = true;
        say(message, decision === 'approve' ? 'Approving...' : 'Denying...', '');
        try {
          const result = await post('/review/approvals/' + encodeURIComponent(id) + '/decision', { decision, comment: text });
          say(message, result.message, 'done');
          if (comment) comment.disabled = true;
          card.classList.add('decided');
        } catch (error) {
          say(message, error.message, 'error');
          for (const b of buttons) b.disabled = false;
        }
      });
    }
  }
})();
`;
