// The review page's only stylesheet, inlined under the page's CSP nonce (no external requests).
export const PAGE_STYLE = `
:root {
  --bg: #f5f6f8; --card: #fff; --ink: #1c2330; --muted: #5b6576; --line: #dde1e7;
  --accent: #2f5bd3; --ok: #1a7f37; --ok-bg: #e7f5ea; --bad: #b42318; --bad-bg: #fdecea;
  --warn: #8a5a00; --warn-bg: #fff6dd; --code-bg: #11161f; --code-ink: #e6edf3;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; font-size: 15px; line-height: 1.45; }
header.bar { background: #1c2330; color: #fff; display: flex; align-items: center; gap: 16px;
  padding: 10px 24px; }
header.bar .brand { font-weight: 700; letter-spacing: .02em; }
header.bar .brand span { font-weight: 400; opacity: .75; }
header.bar .who { margin-left: auto; font-size: 13px; opacity: .9; }
header.bar button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.45); }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
.lead { color: var(--muted); margin: 0 0 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin: 0 0 20px;
  box-shadow: 0 1px 2px rgba(16,24,40,.05); }
.card-head { display: flex; align-items: baseline; gap: 10px; padding: 14px 18px; border-bottom: 1px solid var(--line); }
.card-head h2 { font-size: 17px; margin: 0; overflow-wrap: anywhere; }
.kind { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--accent);
  border: 1px solid currentColor; border-radius: 4px; padding: 1px 6px; white-space: nowrap; }
.expires { margin-left: auto; font-size: 13px; color: var(--muted); white-space: nowrap; }
.expires.soon { color: var(--bad); font-weight: 600; }
.card-body { padding: 14px 18px 18px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 6px 14px; margin: 0 0 14px; }
dl.facts dt { color: var(--muted); font-size: 13px; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.reason { background: var(--warn-bg); color: var(--warn); border-left: 4px solid #e0a800; border-radius: 6px;
  padding: 8px 12px; margin: 0 0 14px; }
.reason strong { color: var(--ink); }
.label { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  margin: 0 0 6px; display: flex; gap: 8px; align-items: baseline; }
.label .note { text-transform: none; letter-spacing: 0; font-weight: 400; }
pre.script { background: var(--code-bg); color: var(--code-ink); border-radius: 8px; padding: 12px 14px; margin: 0 0 8px;
  max-height: 360px; overflow: auto; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.digest { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); margin: 0 0 14px;
  overflow-wrap: anywhere; }
.votes { margin: 0 0 14px; font-size: 14px; }
.votes ul { margin: 4px 0 0; padding-left: 18px; }
.self { background: var(--bad-bg); color: var(--bad); border-radius: 6px; padding: 6px 10px; margin: 0 0 10px; font-size: 14px; }
.decide textarea { width: 100%; min-height: 56px; font: inherit; padding: 8px 10px; border: 1px solid var(--line);
  border-radius: 6px; resize: vertical; }
.decide label { display: block; font-size: 13px; color: var(--muted); margin-bottom: 4px; }
.actions { display: flex; gap: 10px; margin-top: 10px; align-items: center; flex-wrap: wrap; }
button { font: inherit; font-weight: 600; border-radius: 6px; padding: 7px 16px; cursor: pointer; border: 1px solid var(--line);
  background: #fff; color: var(--ink); }
button:disabled { opacity: .55; cursor: default; }
button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
button.deny { background: #fff; border-color: var(--bad); color: var(--bad); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.message { font-size: 14px; }
.message.error { color: var(--bad); }
.message.done { color: var(--ok); font-weight: 600; }
.card.decided { opacity: .8; }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 10px; padding: 28px; text-align: center;
  color: var(--muted); }
.login { max-width: 520px; margin: 48px auto; }
.login input { width: 100%; font: 14px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 9px 10px;
  border: 1px solid var(--line); border-radius: 6px; }
.notice { background: var(--warn-bg); color: var(--warn); border-radius: 6px; padding: 8px 12px; margin: 0 0 14px; }
.hint { color: var(--muted); font-size: 13px; }
@media (max-width: 700px) { dl.facts { grid-template-columns: max-content 1fr; } }
`;
