// The `secrets` pack: credentials with a recognisable shape (provider tokens, JWTs, private keys,
// passwords in URLs, headers and command lines) and generic `name = value` assignments whose name says
// secret and whose value looks random enough to be one (or whose name says password).
import { shannonEntropy } from '../validators.js';
import { stickyAt, wordStart, type AnchoredRule, type Pack } from './types.js';

/** A token that starts with a fixed prefix at a word boundary; `body` is sticky and starts at the anchor. */
function tokenRule(
  type: string,
  anchors: readonly string[],
  body: RegExp,
  partial: RegExp,
  prefix?: string,
): AnchoredRule {
  return {
    kind: 'anchored',
    type,
    anchors,
    ...(prefix === undefined ? {} : { prefix, pass: 'tokens' as const }),
    partial,
    match(text, at, out) {
      if (!wordStart(text, at)) return;
      const m = stickyAt(body, text, at);
      if (m !== null) out.add(at, at + m[0].length, type);
    },
  };
}

/** A rule whose sticky `body` (with the `d` flag) starts at the anchor and whose group 1 is the secret. */
function valueRule(
  type: string,
  anchors: readonly string[],
  body: RegExp,
  partial: RegExp,
  accept: (value: string) => boolean = () => true,
): AnchoredRule {
  return {
    kind: 'anchored',
    type,
    anchors,
    partial,
    match(text, at, out) {
      const m = stickyAt(body, text, at);
      const span = m?.indices?.[1];
      if (m === null || span === undefined || !accept(m[1] ?? '')) return;
      out.add(span[0], span[1], type);
    },
  };
}

const awsAccessKey = tokenRule(
  'aws-access-key',
  ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  /A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}(?![A-Za-z0-9])/y,
  /(?<![A-Za-z0-9_])A(?:KIA|SIA|BIA|CCA)[A-Z0-9]*$/,
  'A(?:KIA|SIA|BIA|CCA)',
);

const githubToken = tokenRule(
  'github-token',
  ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  /(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/y,
  /(?<![A-Za-z0-9_])(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]*$/,
  'g(?:h[pousr]_|ithub_pat_)',
);

const gitlabToken = tokenRule(
  'gitlab-token',
  [
    'glpat-',
    'gldt-',
    'glrt-',
    'glptt-',
    'glcbt-',
    'glimt-',
    'gloas-',
    'glsoat-',
    'glft-',
    'glagent-',
    'GR1348941',
  ],
  /(?:gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft|agent)-|GR1348941)[A-Za-z0-9_.-]{20,}/y,
  /(?<![A-Za-z0-9_])(?:gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft|agent)-|GR1348941)[A-Za-z0-9_.-]*$/,
  'gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft|agent)-|GR1348941',
);

const slackToken = tokenRule(
  'slack-token',
  ['xoxb', 'xoxp', 'xoxa', 'xoxr', 'xoxs', 'xoxe'],
  /xox[abprse](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}/y,
  /(?<![A-Za-z0-9_])xox[abprse][.a-z]*-?[A-Za-z0-9-]*$/,
  'xox[abprse]',
);

const slackWebhook = valueRule(
  'slack-webhook',
  ['hooks.slack.com/'],
  /hooks\.slack\.com\/((?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,})/dy,
  /hooks\.slack\.com\/[A-Za-z0-9_/-]*$/,
);

const stripeKey = tokenRule(
  'stripe-key',
  ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'],
  /(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9+/]{24,})/y,
  /(?<![A-Za-z0-9_])(?:[sr]k_(?:live|test)_|whsec_)[A-Za-z0-9+/]*$/,
  '[sr]k_(?:live|test)_|whsec_',
);

const npmToken = tokenRule(
  'npm-token',
  ['npm_'],
  /npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/y,
  /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]*$/,
  'npm_',
);

const googleApiKey = tokenRule(
  'google-api-key',
  ['AIza'],
  /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]*$/,
  'AIza',
);

// AI provider keys, now in many pipelines (evaluation jobs, release notes bots). Anthropic's start with
// sk-ant-; OpenAI's with sk- (sk-proj-, sk-svcacct-, sk-admin- or a bare body).
const anthropicKey = tokenRule(
  'anthropic-key',
  ['sk-ant-'],
  /sk-ant-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])sk-ant-[A-Za-z0-9_-]*$/,
  'sk-ant-',
);

const openaiKey = tokenRule(
  'openai-key',
  ['sk-'],
  /sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])sk-[A-Za-z0-9_-]*$/,
  'sk-(?!ant-)',
);

const huggingfaceToken = tokenRule(
  'huggingface-token',
  ['hf_'],
  /hf_[A-Za-z0-9]{34,}(?![A-Za-z0-9])/y,
  /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]*$/,
  'hf_',
);

const sendgridKey = tokenRule(
  'sendgrid-key',
  ['SG.'],
  /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_.-]*$/,
  'SG\\.',
);

// Azure shared access signatures carry their HMAC in `sig=`.
const azureSas = valueRule(
  'azure-sas-signature',
  ['sig='],
  /sig=([A-Za-z0-9%+/=]{30,})/dy,
  /sig=[A-Za-z0-9%+/=]*$/,
);

// A JWT's header and payload are base64url JSON objects, so both start with `eyJ` (`{"`).
const jwt = tokenRule(
  'jwt',
  ['eyJ'],
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/y,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_.-]*$/,
);

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/y;

/**
 * A private key block. Within one line (a JSON-escaped key) the block is masked from BEGIN to END; when
 * the END marker is not on the line, the rest of the line is masked and `openBlock` tells the line
 * processor to mask the key body lines that follow.
 */
const privateKey: AnchoredRule = {
  kind: 'anchored',
  type: 'private-key',
  anchors: ['-----BEGIN'],
  partial: /-----BEGIN[^\n]*$/,
  match(text, at, out) {
    const m = stickyAt(PEM_BEGIN, text, at);
    if (m === null) return;
    const endMarker = `-----END ${m[1] ?? ''}-----`;
    const end = text.indexOf(endMarker, at + m[0].length);
    if (end !== -1) {
      out.add(at, end + endMarker.length, 'private-key');
      return;
    }
    const newline = text.indexOf('\n', at);
    out.add(at, newline === -1 ? text.length : newline, 'private-key');
    if (newline === -1) out.openBlock = true;
  },
};

// scheme://user:password@host - the password only; the host and user stay readable.
const URL_PASSWORD = /:\/\/[^\s:/@]*:([^\s/@]+)@/dy;
const connectionPassword: AnchoredRule = {
  kind: 'anchored',
  type: 'connection-string-password',
  anchors: ['://'],
  // URL_PASSWORD ends at an `@`: the many URLs without credentials in a log need no look.
  lineAlsoHas: '@',
  partial: /[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[^\s]*|\/)?$/,
  match(text, at, out) {
    if (at === 0 || !/[A-Za-z0-9+.-]/.test(text.charAt(at - 1))) return;
    const m = stickyAt(URL_PASSWORD, text, at);
    const span = m?.indices?.[1];
    if (span !== undefined) out.add(span[0], span[1], 'connection-string-password');
  },
};

const bearerToken = valueRule(
  'bearer-token',
  ['Bearer ', 'bearer '],
  /[Bb]earer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/dy,
  /[Bb]earer[ \t]*[A-Za-z0-9._~+/=-]*$/,
);

const authorizationHeader = valueRule(
  'authorization-header',
  ['uthorization:'],
  /uthorization:[ \t]*(?:(?:Basic|Bearer|Token|token|Digest|Negotiate)[ \t]+)?([^\s"',]{8,})/dy,
  /uthorization:[^\n]*$/,
);

/** A reference to a value rather than the value: `$VAR`, `${{ secrets.X }}`, `%VAR%`, `<token>`, `***`. */
const REFERENCE = /^(?:\$|\{\{|%|<|\[MASKED|\*{3})/;

/** A credential value: quoted (group 1 or 2, spaces allowed) or bare (group 3). */
const CLI_VALUE = String.raw`(?:"([^"\n]{1,256})"|'([^'\n]{1,256})'|([^\s"']+))`;
const CLI_PASSWORD_OPTION = new RegExp(String.raw`--pass(?:word|wd|phrase)?(?:=|[ \t]+)${CLI_VALUE}`, 'dy');
const CLI_USER_PASSWORD = /(?:-u|--user)(?:=|[ \t]+)["']?[^\s:"']+:([^\s"']+)/dy;
const P_ATTACHED = /-p([^\s"']+)/dy;
/** openssl `-passin pass:X` (only the `pass:` form; `env:`, `file:` and `fd:` name where it is). */
const OPENSSL_PASS = /-pass(?:in|out)?[ \t]+pass:([^\s"']+)/dy;
/** keytool and jarsigner `-storepass X`, `-keypass X`. */
const KEYTOOL_PASS = new RegExp(String.raw`-(?:src|dest)?(?:store|key)pass[ \t]+${CLI_VALUE}`, 'dy');
const P_SPACED = new RegExp(String.raw`-p(?:=|[ \t]*)${CLI_VALUE}`, 'dy');
/** What comes before `-p` on its line decides what `-p` means. */
const SSHPASS_BEFORE = /(?:^|[\s;&|(])sshpass[ \t]+$/;
const MYSQL_BEFORE = /(?:^|[\s;&|(/])(?:mysql|mariadb)[\w-]*[ \t](?:[^\n;&|]*[ \t])?$/;
const LOGIN_BEFORE =
  /(?:^|[\s;&|(/])(?:docker|podman|nerdctl|buildah|skopeo|oras|crane|helm(?:[ \t]+registry)?)[ \t]+login[ \t](?:[^\n;&|]*[ \t])?$/;
/** How far back on its line `-p` looks for the command it belongs to. */
const COMMAND_LOOKBACK = 512;

/**
 * Passwords given on a command line, which CI logs echo (`set -x`, a tool printing its command):
 * `--password SECRET`, `curl -u user:SECRET`, `mysql -pSECRET`, `docker login -p SECRET`,
 * `sshpass -p SECRET`. Only the value is masked; `$VAR` and `${{ ... }}` references are left alone, and
 * so are all-digit `-u uid:gid` pairs (`docker run -u 1000:1000`). The anchors are all options (they start
 * with `-`), so the rule adds no pass over ordinary words; `-p` is judged by the command before it.
 */
const cliPassword: AnchoredRule = {
  kind: 'anchored',
  type: 'cli-password',
  anchors: [
    '--pass',
    '--user',
    '-u ',
    '-u\t',
    '-u=',
    '-p',
    '-storepass',
    '-keypass',
    '-srcstorepass',
    '-deststorepass',
  ],
  partial:
    /(?:--pass(?:word|wd|phrase)?(?:=|[ \t]+)["']?|(?:-u|--user)(?:=|[ \t]+)\S*|[ \t]-p[ \t]*["']?)[^\s"']*$/,
  match(text, at, out) {
    if (at > 0 && !/\s/.test(text.charAt(at - 1))) return;
    const add = (m: RegExpExecArray | null): void => {
      if (m === null) return;
      for (let group = 1; group < m.length; group++) {
        const span = m.indices?.[group];
        const value = m[group];
        if (span === undefined || value === undefined) continue;
        if (!REFERENCE.test(value)) out.add(span[0], span[1], 'cli-password');
        return;
      }
    };
    if (text.startsWith('--pass', at)) {
      add(stickyAt(CLI_PASSWORD_OPTION, text, at));
      return;
    }
    if (text.startsWith('-pass', at)) {
      add(stickyAt(OPENSSL_PASS, text, at));
      return;
    }
    if (!text.startsWith('-p', at) && !text.startsWith('-u', at) && !text.startsWith('--user', at)) {
      add(stickyAt(KEYTOOL_PASS, text, at));
      return;
    }
    if (text.charCodeAt(at + 1) !== 112 /* p */) {
      const m = stickyAt(CLI_USER_PASSWORD, text, at);
      if (m !== null && !/^\d+$/.test(m[1] ?? '')) add(m);
      return;
    }
    const before = text.slice(Math.max(lineStart(text, at), at - COMMAND_LOOKBACK), at);
    if (SSHPASS_BEFORE.test(before) || LOGIN_BEFORE.test(before)) add(stickyAt(P_SPACED, text, at));
    // mysql's -p takes its value attached; `-p` alone makes it prompt, and `-p NAME` names a database.
    else if (MYSQL_BEFORE.test(before)) add(stickyAt(P_ATTACHED, text, at));
  },
};

/** [A-Za-z0-9_.-]: the characters of a setting's name. */
function isNameChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
  );
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at) + 1;
}

const KEYWORDS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'credential', 'apikey'] as const;
const KEYWORD_ANCHORS = [
  ...KEYWORDS.flatMap((w) => [w, w.toUpperCase(), w.charAt(0).toUpperCase() + w.slice(1)]),
  '_key',
  '_KEY',
  '-key',
  'Key',
];
/** The rest of the name after the anchor, the operator, optional quote, then the value (group 1). */
const ASSIGNMENT = /[A-Za-z0-9_.-]*["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:["']|\\")?([^\s"'`,;\\]{6,})/dy;
/** The same, with a quoted value that may contain spaces (group 2). */
const QUOTED_ASSIGNMENT =
  /[A-Za-z0-9_.-]*["']?[ \t]*(?::=|=>|=|:)[ \t]*(["'])((?:(?!\1)[^\n\\]|\\.){1,256})\1/dy;
/** Key names that hold a secret's name, location or metadata, not the secret. */
const METADATA_NAME =
  /[_.-]?(?:names?|ids?|files?|path|arn|url|uri|type|length|len|ref|version|env|count|size|dir|prefix|suffix|mode|format|enabled|required|source|provider|expires?|expiry|expires?_(?:at|in)|ttl|header|field|param|policy|store|manager|hash|digest|sha|checksum|fingerprint|rotation|kind|ids?)$/i;
/** A name ending in a bare `key` counts only when it says which key (an "api key", not a "cache key"). */
const SECRET_KEY_NAME =
  /(?:api|access|secret|private|account|client|auth|signing|encryption|master|service|app|consumer|license|subscription|storage|shared|session|webhook)[_.-]?key$/i;
const PLACEHOLDER = new RegExp(
  `${REFERENCE.source}|^(?:true|false|null|nil|none|undefined|required|optional|redacted|changeme|example|placeholder)$`,
  'i',
);
const PATH_LIKE = /^(?:\/|\.\.?\/|~\/)[\w./-]*$/;

const assignment: AnchoredRule = {
  kind: 'anchored',
  type: 'secret-assignment',
  anchors: KEYWORD_ANCHORS,
  // The same words as KEYWORD_ANCHORS, factored so the regex engine can skip quickly.
  pass: 'keywords',
  prefix:
    '[Pp]ass(?:word|wd|phrase)|PASS(?:WORD|WD|PHRASE)|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Cc]redential|CREDENTIAL|[Aa]pikey|APIKEY',
  // A separate pass: no keyword contains `_key`, `_KEY`, `-key` or `Key`, so the two never overlap.
  morePrefixes: [{ pass: 'key-suffixes', prefix: '_key|_KEY|-key|Key' }],
  // Case-sensitive like the anchors: "Press any key" or "monkey" at the end of a partial line is not held.
  partial: new RegExp(
    `(?:${KEYWORD_ANCHORS.join('|')})[A-Za-z0-9_.-]*["']?[ \\t]*(?:[:=]>?[ \\t]*(?:["'][^"'\\n]*|[^\\s"'\`,;]*))?$`,
  ),
  match(text, at, out) {
    let nameStart = at;
    while (nameStart > 0 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
    let nameEnd = at;
    while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
    const name = text.slice(nameStart, nameEnd);
    if (METADATA_NAME.test(name)) return;
    const password = PASSWORD_NAME.test(name);
    if (password) {
      // A quoted password may hold spaces (`password: "correct horse battery"`): the whole quote is it.
      const quoted = stickyAt(QUOTED_ASSIGNMENT, text, at);
      const quotedSpan = quoted?.indices?.[2];
      if (quotedSpan !== undefined && looksLikePassword(quoted?.[2] ?? '')) {
        out.add(quotedSpan[0], quotedSpan[1], 'secret-assignment');
        return;
      }
    }
    const m = stickyAt(ASSIGNMENT, text, at);
    const span = m?.indices?.[1];
    if (m === null || span === undefined) return;
    const value = m[1] ?? '';
    if (/key$/i.test(name) && !/(?:token|secret|password|passwd|passphrase|credential)/i.test(name)) {
      if (!SECRET_KEY_NAME.test(name)) return;
    }
    // A name that says password (or passphrase) holds one: people choose `hunter2hunter2` and
    // `correcthorsebatterystaple`, which the randomness test would let through. Other names need a value
    // that looks generated, which keeps `token: write` or `secret_scanning: disabled` readable.
    if (!(password ? looksLikePassword(value) : looksRandom(value))) return;
    out.add(span[0], span[1], 'secret-assignment');
  },
};

const PASSWORD_NAME = /pass(?:word|wd|phrase)/i;

/** Type names that follow `password:` in code frames and schemas (`password: string;`). */
const TYPE_NAME =
  /^(?:string|number|boolean|object|bigint|symbol|unknown|never|any|str|int|bytes|text|varchar)$/i;

/**
 * Any value of 6 characters or more but a placeholder, a type name, a path, or one character repeated:
 * test and staging passwords are often short (`S3cret`, `admin1`).
 */
export function looksLikePassword(value: string): boolean {
  if (value.length < 6 || PLACEHOLDER.test(value) || TYPE_NAME.test(value) || PATH_LIKE.test(value))
    return false;
  return shannonEntropy(value) >= 2;
}

/** A value random enough to be a credential rather than a word, a path or a reference to one. */
export function looksRandom(value: string): boolean {
  if (value.length < 8 || PLACEHOLDER.test(value) || PATH_LIKE.test(value)) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2 && shannonEntropy(value) >= 3;
}

export const secretsPack: Pack = {
  name: 'secrets',
  description:
    'provider tokens and keys, JWTs, private keys, passwords in URLs, headers and command lines, secret assignments',
  rules: [
    awsAccessKey,
    githubToken,
    gitlabToken,
    slackToken,
    slackWebhook,
    stripeKey,
    npmToken,
    googleApiKey,
    anthropicKey,
    openaiKey,
    huggingfaceToken,
    sendgridKey,
    azureSas,
    jwt,
    privateKey,
    connectionPassword,
    bearerToken,
    authorizationHeader,
    cliPassword,
    assignment,
  ],
};
