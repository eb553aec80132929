import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// masking/validators.ts
function luhnValid(digits) {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
function paymentCardValid(digits) {
  const n = digits.length;
  if (n < 12 || n > 19) return false;
  if (!issuerKnown(digits, n)) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return luhnValid(digits);
}
function issuerKnown(d, n) {
  const two = Number(d.slice(0, 2));
  const four = Number(d.slice(0, 4));
  switch (d.charCodeAt(0) - 48) {
    case 2:
      return four >= 2221 && four <= 2720 && n === 16;
    case 3:
      if (two === 34 || two === 37) return n === 15;
      if (four >= 3528 && four <= 3589) return n >= 16;
      return (two === 36 || two === 38 || two === 39 || four >= 3e3 && four <= 3059) && n >= 14;
    case 4:
      return n === 13 || n >= 16;
    case 5:
      return two >= 50 && two <= 58 && n >= 12;
    case 6:
      return n >= 12;
    default:
      return false;
  }
}
function cpfValid(digits) {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  return checkDigit(digits, 9, 10) === digits.charCodeAt(9) - 48 && checkDigit(digits, 10, 11) === digits.charCodeAt(10) - 48;
}
function checkDigit(digits, length, firstWeight) {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += (digits.charCodeAt(i) - 48) * (firstWeight - i);
  const rest = sum * 10 % 11;
  return rest === 10 ? 0 : rest;
}
var CNPJ_WEIGHTS_1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
var CNPJ_WEIGHTS_2 = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
function cnpjValid(digits) {
  if (!/^\d{14}$/.test(digits) || /^(\d)\1{13}$/.test(digits)) return false;
  return cnpjDigit(digits, CNPJ_WEIGHTS_1) === digits.charCodeAt(12) - 48 && cnpjDigit(digits, CNPJ_WEIGHTS_2) === digits.charCodeAt(13) - 48;
}
function cnpjDigit(digits, weights) {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] ?? 0);
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}
function ssnValid(area, group, serial) {
  const a = Number(area);
  if (a === 0 || a === 666 || a >= 900) return false;
  if (group === "00" || serial === "0000") return false;
  const whole = `${area}${group}${serial}`;
  return whole !== "078051120" && whole !== "219099999";
}
var IBAN_LENGTHS = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30
};
function ibanLength(country) {
  return Object.hasOwn(IBAN_LENGTHS, country) ? IBAN_LENGTHS[country] : void 0;
}
function ibanValid(iban) {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (ibanLength(iban.slice(0, 2)) !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 65) rest = (rest * 100 + (c - 55)) % 97;
    else rest = (rest * 10 + (c - 48)) % 97;
  }
  return rest === 1;
}
function shannonEntropy(value) {
  const counts = /* @__PURE__ */ new Map();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / n;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// masking/rules/types.ts
function stickyAt(regex, text, at) {
  regex.lastIndex = at;
  return regex.exec(text);
}
var WORD = /[A-Za-z0-9_]/;
function wordStart(text, at) {
  return at === 0 || !WORD.test(text.charAt(at - 1));
}

// masking/rules/pii.ts
function islandRule(type, minDigits, pattern, accept) {
  const whole = new RegExp(`^(?:${pattern.source})$`);
  return {
    kind: "numeric",
    type,
    minDigits,
    matchIsland(island, offset, out) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(island); m !== null; m = pattern.exec(island)) {
        let candidate = m[0];
        let accepted = false;
        for (; ; ) {
          if (whole.test(candidate) && accept(candidate, candidate.replace(/\D/g, ""))) {
            out.add(offset + m.index, offset + m.index + candidate.length, type);
            accepted = true;
            break;
          }
          const cut = candidate.search(/[ .\/()-]+\d+\)?$/);
          if (cut <= 0) break;
          candidate = candidate.slice(0, cut);
        }
        pattern.lastIndex = m.index + (accepted ? candidate.length : 1);
      }
    }
  };
}
var card = islandRule(
  "card",
  12,
  /(?<!\d)(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})(?!\d)/g,
  (_candidate, digits) => paymentCardValid(digits)
);
var phone = islandRule(
  "phone",
  8,
  // International (+CC ...), North American (555) 123-4567 / 555-123-4567, Brazilian (11) 91234-5678.
  /\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}(?!\d)|(?<!\d)(?:\(\d{3}\)[ ]?|\d{3}[-.])\d{3}[-.]\d{4}(?!\d)|(?<!\d)\(\d{2}\)[ ]?9?\d{4}-?\d{4}(?!\d)/g,
  (candidate, digits) => {
    if (candidate.startsWith("+")) return digits.length >= 8 && digits.length <= 15;
    if (candidate.startsWith("(")) return digits.length === 10 || digits.length === 11;
    return digits.length === 10 && digits.charCodeAt(0) > 49 && digits.charCodeAt(3) > 49;
  }
);
var cpf = islandRule(
  "cpf",
  11,
  /(?<!\d)(?:\d{3}\.\d{3}\.\d{3}-\d{2}|\d{11})(?!\d)/g,
  (_candidate, digits) => cpfValid(digits)
);
var cnpj = islandRule(
  "cnpj",
  14,
  /(?<!\d)(?:\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}|\d{14})(?!\d)/g,
  (_candidate, digits) => cnpjValid(digits)
);
var ssn = islandRule(
  "ssn",
  9,
  /(?<!\d)\d{3}([- ])\d{2}\1\d{4}(?!\d)/g,
  (_candidate, d) => ssnValid(d.slice(0, 3), d.slice(3, 5), d.slice(5))
);
function isLocalPartChar(c) {
  return c >= 97 && c <= 122 || c >= 65 && c <= 90 || c >= 48 && c <= 57 || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}
var DOMAIN = /@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9-])/y;
var email = {
  kind: "anchored",
  type: "email",
  anchors: ["@"],
  partial: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]*$/,
  match(text, at, out) {
    let start = at;
    while (start > 0 && at - start < 64 && isLocalPartChar(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charAt(start) === ".") start++;
    if (start === at) return;
    if (text.slice(start, at) === "git") return;
    if (isUrlUserinfo(text, start, at)) return;
    const m = stickyAt(DOMAIN, text, at);
    if (m !== null) out.add(start, at + m[0].length, "email");
  }
};
function isUrlUserinfo(text, start, at) {
  const from = Math.max(0, start - 256);
  const inWindow = text.slice(from, start + 3).lastIndexOf("://");
  if (inWindow === -1) return false;
  const scheme = from + inWindow;
  const between = text.slice(scheme + 3, at);
  return !/[\s/?#]/.test(between);
}
var IBAN_CANDIDATE = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}/g;
var ibanRule = {
  kind: "scan",
  type: "iban",
  // Held from the country code on: released alone, "DE" would leave the rest to the next write.
  partial: /\b[A-Z]{1,2}$|\b[A-Z]{2}\d(?: ?[A-Z0-9])* ?$/,
  scan(text, out) {
    IBAN_CANDIDATE.lastIndex = 0;
    for (let m = IBAN_CANDIDATE.exec(text); m !== null; m = IBAN_CANDIDATE.exec(text)) {
      const found = ibanAt(m[0]);
      if (found !== 0) out.add(m.index, m.index + found, "iban");
      IBAN_CANDIDATE.lastIndex = m.index + (found !== 0 ? found : 2);
    }
  }
};
function ibanAt(candidate) {
  const want = ibanLength(candidate.slice(0, 2));
  if (want === void 0) return 0;
  let compact = "";
  let i = 0;
  for (; i < candidate.length && compact.length < want; i++) {
    const c = candidate.charAt(i);
    if (c !== " ") compact += c;
  }
  if (compact.length !== want) return 0;
  const next = candidate.charAt(i);
  if (next !== "" && next !== " ") return 0;
  return ibanValid(compact) ? i : 0;
}
var piiCommonPack = {
  name: "pii-common",
  description: "e-mail addresses, phone numbers, payment card numbers (Luhn and issuer checked)",
  rules: [email, phone, card]
};
var piiBrPack = {
  name: "pii-br",
  description: "Brazilian CPF and CNPJ (check digits verified)",
  rules: [cpf, cnpj]
};
var piiUsPack = {
  name: "pii-us",
  description: "US Social Security Numbers (never-issued ranges rejected)",
  rules: [ssn]
};
var piiEuPack = {
  name: "pii-eu",
  description: "IBANs (country length and mod-97 verified)",
  rules: [ibanRule]
};
var NUMERIC_PARTIAL = /(?<![A-Za-z0-9_])[+(]?\d[\d .\/()-]*$/;

// masking/rules/secrets.ts
function tokenRule(type, anchors, body, partial, prefix) {
  return {
    kind: "anchored",
    type,
    anchors,
    ...prefix === void 0 ? {} : { prefix, pass: "tokens" },
    partial,
    match(text, at, out) {
      if (!wordStart(text, at)) return;
      const m = stickyAt(body, text, at);
      if (m !== null) out.add(at, at + m[0].length, type);
    }
  };
}
function valueRule(type, anchors, body, partial, accept = () => true) {
  return {
    kind: "anchored",
    type,
    anchors,
    partial,
    match(text, at, out) {
      const m = stickyAt(body, text, at);
      const span = m?.indices?.[1];
      if (m === null || span === void 0 || !accept(m[1] ?? "")) return;
      out.add(span[0], span[1], type);
    }
  };
}
var awsAccessKey = tokenRule(
  "aws-access-key",
  ["AKIA", "ASIA", "ABIA", "ACCA"],
  /A(?:KIA|SIA|BIA|CCA)[A-Z0-9]{16}(?![A-Za-z0-9])/y,
  /(?<![A-Za-z0-9_])A(?:KIA|SIA|BIA|CCA)[A-Z0-9]*$/,
  "A(?:KIA|SIA|BIA|CCA)"
);
var githubToken = tokenRule(
  "github-token",
  ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"],
  /(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/y,
  /(?<![A-Za-z0-9_])(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]*$/,
  "g(?:h[pousr]_|ithub_pat_)"
);
var gitlabToken = tokenRule(
  "gitlab-token",
  [
    "glpat-",
    "gldt-",
    "glrt-",
    "glptt-",
    "glcbt-",
    "glimt-",
    "gloas-",
    "glsoat-",
    "glft-",
    "glagent-",
    "GR1348941"
  ],
  /(?:gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft|agent)-|GR1348941)[A-Za-z0-9_.-]{20,}/y,
  /(?<![A-Za-z0-9_])(?:gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft|agent)-|GR1348941)[A-Za-z0-9_.-]*$/,
  "gl(?:pat|dt|rt|ptt|cbt|imt|oas|soat|ft|agent)-|GR1348941"
);
var slackToken = tokenRule(
  "slack-token",
  ["xoxb", "xoxp", "xoxa", "xoxr", "xoxs", "xoxe"],
  /xox[abprse](?:\.xox[a-z])?-[A-Za-z0-9-]{10,}/y,
  /(?<![A-Za-z0-9_])xox[abprse][.a-z]*-?[A-Za-z0-9-]*$/,
  "xox[abprse]"
);
var slackWebhook = valueRule(
  "slack-webhook",
  ["hooks.slack.com/"],
  /hooks\.slack\.com\/((?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,})/dy,
  /hooks\.slack\.com\/[A-Za-z0-9_/-]*$/
);
var stripeKey = tokenRule(
  "stripe-key",
  ["sk_live_", "sk_test_", "rk_live_", "rk_test_", "whsec_"],
  /(?:[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9+/]{24,})/y,
  /(?<![A-Za-z0-9_])(?:[sr]k_(?:live|test)_|whsec_)[A-Za-z0-9+/]*$/,
  "[sr]k_(?:live|test)_|whsec_"
);
var npmToken = tokenRule(
  "npm-token",
  ["npm_"],
  /npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/y,
  /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]*$/,
  "npm_"
);
var googleApiKey = tokenRule(
  "google-api-key",
  ["AIza"],
  /AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])AIza[0-9A-Za-z_-]*$/,
  "AIza"
);
var anthropicKey = tokenRule(
  "anthropic-key",
  ["sk-ant-"],
  /sk-ant-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])sk-ant-[A-Za-z0-9_-]*$/,
  "sk-ant-"
);
var openaiKey = tokenRule(
  "openai-key",
  ["sk-"],
  /sk-(?!ant-)(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])sk-[A-Za-z0-9_-]*$/,
  "sk-(?!ant-)"
);
var huggingfaceToken = tokenRule(
  "huggingface-token",
  ["hf_"],
  /hf_[A-Za-z0-9]{34,}(?![A-Za-z0-9])/y,
  /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]*$/,
  "hf_"
);
var sendgridKey = tokenRule(
  "sendgrid-key",
  ["SG."],
  /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/y,
  /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_.-]*$/,
  "SG\\."
);
var azureSas = valueRule(
  "azure-sas-signature",
  ["sig="],
  /sig=([A-Za-z0-9%+/=]{30,})/dy,
  /sig=[A-Za-z0-9%+/=]*$/
);
var jwt = tokenRule(
  "jwt",
  ["eyJ"],
  /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/y,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_.-]*$/
);
var PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/y;
var privateKey = {
  kind: "anchored",
  type: "private-key",
  anchors: ["-----BEGIN"],
  partial: /-----BEGIN[^\n]*$/,
  match(text, at, out) {
    const m = stickyAt(PEM_BEGIN, text, at);
    if (m === null) return;
    const endMarker = `-----END ${m[1] ?? ""}-----`;
    const end = text.indexOf(endMarker, at + m[0].length);
    if (end !== -1) {
      out.add(at, end + endMarker.length, "private-key");
      return;
    }
    const newline = text.indexOf("\n", at);
    out.add(at, newline === -1 ? text.length : newline, "private-key");
    if (newline === -1) out.openBlock = true;
  }
};
var URL_PASSWORD = /:\/\/[^\s:/@]*:([^\s/@]+)@/dy;
var connectionPassword = {
  kind: "anchored",
  type: "connection-string-password",
  anchors: ["://"],
  // URL_PASSWORD ends at an `@`: the many URLs without credentials in a log need no look.
  lineAlsoHas: "@",
  partial: /[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[^\s]*|\/)?$/,
  match(text, at, out) {
    if (at === 0 || !/[A-Za-z0-9+.-]/.test(text.charAt(at - 1))) return;
    const m = stickyAt(URL_PASSWORD, text, at);
    const span = m?.indices?.[1];
    if (span !== void 0) out.add(span[0], span[1], "connection-string-password");
  }
};
var bearerToken = valueRule(
  "bearer-token",
  ["Bearer ", "bearer "],
  /[Bb]earer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/dy,
  /[Bb]earer[ \t]*[A-Za-z0-9._~+/=-]*$/
);
var authorizationHeader = valueRule(
  "authorization-header",
  ["uthorization:"],
  /uthorization:[ \t]*(?:(?:Basic|Bearer|Token|token|Digest|Negotiate)[ \t]+)?([^\s"',]{8,})/dy,
  /uthorization:[^\n]*$/
);
var REFERENCE = /^(?:\$|\{\{|%|<|\[MASKED|\*{3})/;
var CLI_VALUE = String.raw`(?:"([^"\n]{1,256})"|'([^'\n]{1,256})'|([^\s"']+))`;
var CLI_PASSWORD_OPTION = new RegExp(String.raw`--pass(?:word|wd|phrase)?(?:=|[ \t]+)${CLI_VALUE}`, "dy");
var CLI_USER_PASSWORD = /(?:-u|--user)(?:=|[ \t]+)["']?[^\s:"']+:([^\s"']+)/dy;
var P_ATTACHED = /-p([^\s"']+)/dy;
var OPENSSL_PASS = /-pass(?:in|out)?[ \t]+pass:([^\s"']+)/dy;
var KEYTOOL_PASS = new RegExp(String.raw`-(?:src|dest)?(?:store|key)pass[ \t]+${CLI_VALUE}`, "dy");
var P_SPACED = new RegExp(String.raw`-p(?:=|[ \t]*)${CLI_VALUE}`, "dy");
var SSHPASS_BEFORE = /(?:^|[\s;&|(])sshpass[ \t]+$/;
var MYSQL_BEFORE = /(?:^|[\s;&|(/])(?:mysql|mariadb)[\w-]*[ \t](?:[^\n;&|]*[ \t])?$/;
var LOGIN_BEFORE = /(?:^|[\s;&|(/])(?:docker|podman|nerdctl|buildah|skopeo|oras|crane|helm(?:[ \t]+registry)?)[ \t]+login[ \t](?:[^\n;&|]*[ \t])?$/;
var COMMAND_LOOKBACK = 512;
var cliPassword = {
  kind: "anchored",
  type: "cli-password",
  anchors: [
    "--pass",
    "--user",
    "-u ",
    "-u	",
    "-u=",
    "-p",
    "-storepass",
    "-keypass",
    "-srcstorepass",
    "-deststorepass"
  ],
  partial: /(?:--pass(?:word|wd|phrase)?(?:=|[ \t]+)["']?|(?:-u|--user)(?:=|[ \t]+)\S*|[ \t]-p[ \t]*["']?)[^\s"']*$/,
  match(text, at, out) {
    if (at > 0 && !/\s/.test(text.charAt(at - 1))) return;
    const add = (m) => {
      if (m === null) return;
      for (let group = 1; group < m.length; group++) {
        const span = m.indices?.[group];
        const value = m[group];
        if (span === void 0 || value === void 0) continue;
        if (!REFERENCE.test(value)) out.add(span[0], span[1], "cli-password");
        return;
      }
    };
    if (text.startsWith("--pass", at)) {
      add(stickyAt(CLI_PASSWORD_OPTION, text, at));
      return;
    }
    if (text.startsWith("-pass", at)) {
      add(stickyAt(OPENSSL_PASS, text, at));
      return;
    }
    if (!text.startsWith("-p", at) && !text.startsWith("-u", at) && !text.startsWith("--user", at)) {
      add(stickyAt(KEYTOOL_PASS, text, at));
      return;
    }
    if (text.charCodeAt(at + 1) !== 112) {
      const m = stickyAt(CLI_USER_PASSWORD, text, at);
      if (m !== null && !/^\d+$/.test(m[1] ?? "")) add(m);
      return;
    }
    const before = text.slice(Math.max(lineStart(text, at), at - COMMAND_LOOKBACK), at);
    if (SSHPASS_BEFORE.test(before) || LOGIN_BEFORE.test(before)) add(stickyAt(P_SPACED, text, at));
    else if (MYSQL_BEFORE.test(before)) add(stickyAt(P_ATTACHED, text, at));
  }
};
function isNameChar(c) {
  return c >= 97 && c <= 122 || c >= 65 && c <= 90 || c >= 48 && c <= 57 || c === 95 || c === 46 || c === 45;
}
function lineStart(text, at) {
  return text.lastIndexOf("\n", at) + 1;
}
var KEYWORDS = ["password", "passwd", "passphrase", "secret", "token", "credential", "apikey"];
var KEYWORD_ANCHORS = [
  ...KEYWORDS.flatMap((w) => [w, w.toUpperCase(), w.charAt(0).toUpperCase() + w.slice(1)]),
  "_key",
  "_KEY",
  "-key",
  "Key"
];
var ASSIGNMENT = /[A-Za-z0-9_.-]*["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:["']|\\")?([^\s"'`,;\\]{6,})/dy;
var QUOTED_ASSIGNMENT = /[A-Za-z0-9_.-]*["']?[ \t]*(?::=|=>|=|:)[ \t]*(["'])((?:(?!\1)[^\n\\]|\\.){1,256})\1/dy;
var METADATA_NAME = /[_.-]?(?:names?|ids?|files?|path|arn|url|uri|type|length|len|ref|version|env|count|size|dir|prefix|suffix|mode|format|enabled|required|source|provider|expires?|expiry|expires?_(?:at|in)|ttl|header|field|param|policy|store|manager|hash|digest|sha|checksum|fingerprint|rotation|kind|ids?)$/i;
var SECRET_KEY_NAME = /(?:api|access|secret|private|account|client|auth|signing|encryption|master|service|app|consumer|license|subscription|storage|shared|session|webhook)[_.-]?key$/i;
var PLACEHOLDER = new RegExp(
  `${REFERENCE.source}|^(?:true|false|null|nil|none|undefined|required|optional|redacted|changeme|example|placeholder)$`,
  "i"
);
var PATH_LIKE = /^(?:\/|\.\.?\/|~\/)[\w./-]*$/;
var assignment = {
  kind: "anchored",
  type: "secret-assignment",
  anchors: KEYWORD_ANCHORS,
  // The same words as KEYWORD_ANCHORS, factored so the regex engine can skip quickly.
  pass: "keywords",
  prefix: "[Pp]ass(?:word|wd|phrase)|PASS(?:WORD|WD|PHRASE)|[Ss]ecret|SECRET|[Tt]oken|TOKEN|[Cc]redential|CREDENTIAL|[Aa]pikey|APIKEY",
  // A separate pass: no keyword contains `_key`, `_KEY`, `-key` or `Key`, so the two never overlap.
  morePrefixes: [{ pass: "key-suffixes", prefix: "_key|_KEY|-key|Key" }],
  // Case-sensitive like the anchors: "Press any key" or "monkey" at the end of a partial line is not held.
  partial: new RegExp(
    `(?:${KEYWORD_ANCHORS.join("|")})[A-Za-z0-9_.-]*["']?[ \\t]*(?:[:=]>?[ \\t]*(?:["'][^"'\\n]*|[^\\s"'\`,;]*))?$`
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
      const quoted = stickyAt(QUOTED_ASSIGNMENT, text, at);
      const quotedSpan = quoted?.indices?.[2];
      if (quotedSpan !== void 0 && looksLikePassword(quoted?.[2] ?? "")) {
        out.add(quotedSpan[0], quotedSpan[1], "secret-assignment");
        return;
      }
    }
    const m = stickyAt(ASSIGNMENT, text, at);
    const span = m?.indices?.[1];
    if (m === null || span === void 0) return;
    const value = m[1] ?? "";
    if (/key$/i.test(name) && !/(?:token|secret|password|passwd|passphrase|credential)/i.test(name)) {
      if (!SECRET_KEY_NAME.test(name)) return;
    }
    if (!(password ? looksLikePassword(value) : looksRandom(value))) return;
    out.add(span[0], span[1], "secret-assignment");
  }
};
var PASSWORD_NAME = /pass(?:word|wd|phrase)/i;
var TYPE_NAME = /^(?:string|number|boolean|object|bigint|symbol|unknown|never|any|str|int|bytes|text|varchar)$/i;
function looksLikePassword(value) {
  if (value.length < 6 || PLACEHOLDER.test(value) || TYPE_NAME.test(value) || PATH_LIKE.test(value))
    return false;
  return shannonEntropy(value) >= 2;
}
function looksRandom(value) {
  if (value.length < 8 || PLACEHOLDER.test(value) || PATH_LIKE.test(value)) return false;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes >= 2 && shannonEntropy(value) >= 3;
}
var secretsPack = {
  name: "secrets",
  description: "provider tokens and keys, JWTs, private keys, passwords in URLs, headers and command lines, secret assignments",
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
    assignment
  ]
};

// masking/packs.ts
var PACKS = {
  secrets: secretsPack,
  "pii-common": piiCommonPack,
  "pii-br": piiBrPack,
  "pii-us": piiUsPack,
  "pii-eu": piiEuPack
};
var PACK_NAMES = Object.keys(PACKS);
var DEFAULT_PACKS = PACK_NAMES;
function resolvePacks(names) {
  const rules = [];
  for (const name of new Set(names)) {
    const pack = Object.hasOwn(PACKS, name) ? PACKS[name] : void 0;
    if (pack === void 0) {
      throw new TypeError(`unknown masking pack '${name}'; valid packs are: ${PACK_NAMES.join(", ")}`);
    }
    rules.push(...pack.rules);
  }
  return rules;
}
var RULE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
function compileCustomRule(rule) {
  if (!RULE_NAME.test(rule.name)) {
    throw new GuardError(
      "POLICY_INVALID",
      `guard: masking rule name '${rule.name}' is not valid; use lower-case letters, digits and dashes (it appears as [MASKED:<name>])`
    );
  }
  const flags = [...new Set((rule.flags ?? "").replace(/[gyd]/g, ""))].join("");
  let regex;
  try {
    regex = new RegExp(rule.pattern, `${flags}gd`);
  } catch (error) {
    throw new GuardError(
      "POLICY_INVALID",
      `guard: masking rule '${rule.name}' has an invalid pattern or flags (/${rule.pattern}/${rule.flags ?? ""}); fix it in the policy's masking.rules`,
      { cause: error }
    );
  }
  const type = rule.name;
  const wholeCharacters = regex.unicode || regex.flags.includes("v");
  return {
    kind: "scan",
    type,
    scan(text, out) {
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        const span = m.indices?.groups?.["value"] ?? m.indices?.[0];
        if (span !== void 0 && span[1] > span[0]) out.add(span[0], span[1], type);
        if (m[0].length === 0) regex.lastIndex += wholeCharacters && isPairAt(text, regex.lastIndex) ? 2 : 1;
      }
    }
  };
}
function isPairAt(text, at) {
  const high = text.charCodeAt(at);
  const low = text.charCodeAt(at + 1);
  return high >= 55296 && high <= 56319 && low >= 56320 && low <= 57343;
}

// masking/add-mask.ts
var ADD_MASK_LINE = /^([ \t]*::add-mask::)([^\r\n]*)(\r\n|\n|\r)?$/i;
var ADD_MASK_ANYWHERE = /::add-mask::/i;
var COMMAND = "::add-mask::";
function parseAddMask(line) {
  const m = ADD_MASK_LINE.exec(line);
  if (m === null) return void 0;
  const data = m[2] ?? "";
  return { prefix: m[1] ?? "", data, terminator: m[3] ?? "", value: unescapeCommandData(data) };
}
function containsAddMask(text) {
  return text.indexOf("::") !== -1 && ADD_MASK_ANYWHERE.test(text);
}
function mayBeAddMask(partialLine) {
  const start = partialLine.replace(/^[ \t]+/, "").toLowerCase();
  return start.length > 0 && (start.startsWith(COMMAND) || COMMAND.startsWith(start));
}
function unescapeCommandData(data) {
  return data.replace(/%(25|0D|0A)/gi, (_all, code) => {
    const upper = code.toUpperCase();
    return upper === "25" ? "%" : upper === "0D" ? "\r" : "\n";
  });
}

// masking/ansi.ts
var INCOMPLETE_CSI_AT_END = /\x1b(?:\[[0-?]*[ -/]*)?$/;
var AnsiMap = class {
  constructor(raw) {
    this.raw = raw;
    this.plain = withoutCodes(raw);
    this.identity = this.plain.length === raw.length;
  }
  raw;
  plain;
  identity;
  cursorPlain = 0;
  cursorRaw = 0;
  /** Raw index of the plain character at `index` (or of the end, for index === plain.length). */
  rawIndex(index) {
    if (this.identity) return index;
    if (index < this.cursorPlain) {
      this.cursorPlain = 0;
      this.cursorRaw = 0;
    }
    const raw = this.raw;
    for (; ; ) {
      const escape = raw.indexOf("\x1B", this.cursorRaw);
      const plainAtEscape = escape === -1 ? Infinity : this.cursorPlain + (escape - this.cursorRaw);
      if (plainAtEscape > index) return this.cursorRaw + (index - this.cursorPlain);
      const length = csiLengthAt(raw, escape);
      this.cursorPlain = plainAtEscape + (length === 0 ? 1 : 0);
      this.cursorRaw = escape + (length === 0 ? 1 : length);
    }
  }
  /** Raw end (exclusive) of a plain span ending at `end`: just after its last character, before any code. */
  rawEndIndex(end) {
    return end === 0 ? 0 : this.rawIndex(end - 1) + 1;
  }
  /** The codes that lay inside a raw span, kept after a replacement so the terminal's colour state holds. */
  codesWithin(rawFrom, rawTo) {
    return this.identity ? "" : codesWithin(this.raw, rawFrom, rawTo);
  }
};
function codesWithin(raw, rawFrom, rawTo) {
  let codes = "";
  for (let at = raw.indexOf("\x1B", rawFrom); at !== -1 && at < rawTo; at = raw.indexOf("\x1B", at + 1)) {
    const length = csiLengthAt(raw, at);
    if (length > 0) codes += raw.slice(at, at + length);
  }
  return codes;
}
var CSI_AT = /\x1b\[[0-?]*[ -/]*[@-~]/y;
function withoutCodes(raw) {
  let escape = raw.indexOf("\x1B");
  if (escape === -1) return raw;
  let plain = "";
  let from = 0;
  for (; escape !== -1; escape = raw.indexOf("\x1B", escape + 1)) {
    CSI_AT.lastIndex = escape;
    if (!CSI_AT.test(raw)) continue;
    plain += raw.slice(from, escape);
    from = CSI_AT.lastIndex;
    escape = from - 1;
  }
  return plain + raw.slice(from);
}
function csiLengthAt(raw, at) {
  CSI_AT.lastIndex = at;
  const m = CSI_AT.exec(raw);
  return m === null ? 0 : m[0].length;
}
function incompleteEscapeStart(raw) {
  const tail = raw.length > 64 ? raw.slice(-64) : raw;
  const m = INCOMPLETE_CSI_AT_END.exec(tail);
  return m === null ? -1 : raw.length - tail.length + m.index;
}

// masking/line-classifier/families.ts
var FAMILY = {
  /** Token prefixes (`ghp_`, `AKIA`, `xoxb-`...): the `tokens` pass. */
  tokens: 1,
  /** Secret keywords and key suffixes (`password`, `TOKEN`, `_key`...): the `keywords` and `key-suffixes` passes. */
  keywords: 2,
  /** Other literal anchors (`://`, `eyJ`, `-----BEGIN`, `--password`, `sig=`...): the `literals` pass. */
  literals: 4,
  /** `@`: the e-mail rule. */
  email: 8,
  /** Numeric islands: cards, phones, CPF, CNPJ, SSN. */
  numbers: 16,
  /** IBAN candidates. */
  iban: 32,
  /**
   * Not a pass: an `::add-mask::` command or a private key block may be in the line, which the masker
   * handles across lines (the classified path then steps aside).
   */
  special: 64,
  /**
   * Not a pass: the line has colour codes (or another escape). The kernel judges such a line again without
   * its colour codes, as the engine sees it, so its other bits are those of that text; an escape that is
   * not a colour code stays in it and sets every pass's bit.
   */
  ansi: 128
};
var ALL_FAMILIES = 63;

// masking/spans.ts
var SECRET_TYPE = "secret";
var SpanList = class {
  spans = [];
  openBlock = false;
  add(start, end, type) {
    if (end > start) this.spans.push({ start, end, type });
  }
  /**
   * Sorted, non-overlapping spans. Overlapping matches become one span, named by the most specific match:
   * a known value makes it `***`, a token shape beats a generic rule (`token: ghp_...` is a github-token),
   * and among equals the earliest, then longest, wins.
   */
  merged() {
    const spans = this.spans;
    if (spans.length <= 1) return spans.slice();
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    const out = [];
    let current = { ...spans[0] };
    for (let i = 1; i < spans.length; i++) {
      const next = spans[i];
      if (next.start < current.end) {
        if (next.end > current.end) current.end = next.end;
        if (rank(next.type) > rank(current.type)) current.type = next.type;
      } else {
        out.push(current);
        current = { ...next };
      }
    }
    out.push(current);
    return out;
  }
};
var GENERIC_RANK = {
  "authorization-header": 0,
  "secret-assignment": 1,
  "bearer-token": 1
};
function rank(type) {
  if (type === SECRET_TYPE) return 3;
  return GENERIC_RANK[type] ?? 2;
}
function replacementFor(type) {
  return type === SECRET_TYPE ? "***" : `[MASKED:${type}]`;
}

// masking/classified-lines.ts
function alignLineStarts(starts, text) {
  if (starts.length < 2) return true;
  const shift = text.indexOf("\n") + 1 - starts[1];
  for (let i = 1; i < starts.length; i++) {
    const start = starts[i] + shift;
    if (start < 1 || start > text.length || text.charCodeAt(start - 1) !== 10) return false;
    starts[i] = start;
  }
  return true;
}
function maskClassifiedLines(text, from, to, lines, firstLine, engine, counts) {
  const { families, starts } = lines;
  const texts = [];
  const lineFamilies = [];
  const rawStarts = [];
  const maps = [];
  let coloured = false;
  for (let i = firstLine; i < families.length; i++) {
    const start = i === firstLine ? from : starts[i];
    if (start >= to) break;
    const family = families[i];
    coloured ||= (family & FAMILY.ansi) !== 0;
    if ((family & ALL_FAMILIES) === 0) continue;
    const end = i + 1 < starts.length ? Math.min(starts[i + 1], to) : to;
    const raw = text.slice(start, end);
    if ((family & FAMILY.ansi) !== 0) {
      const map2 = new AnsiMap(raw);
      maps.push(map2);
      texts.push(map2.plain);
    } else {
      maps.push(void 0);
      texts.push(raw);
    }
    lineFamilies.push(family);
    rawStarts.push(start);
  }
  const spans = new SpanList();
  const whole = engine.secretForms > 0 || engine.customRules ? text.slice(from, to) : "";
  const map = whole !== "" && coloured ? new AnsiMap(whole) : void 0;
  const plain = map === void 0 ? whole : map.plain;
  const inWhole = {
    add: (start, end, type) => {
      if (map === void 0) spans.add(from + start, from + end, type);
      else spans.add(from + map.rawIndex(start), from + map.rawEndIndex(end), type);
    },
    openBlock: false
  };
  if (engine.secretForms > 0) engine.findKnown(plain, inWhole);
  const found = engine.findInLines(texts, lineFamilies, {
    add: (k, start, end, type) => {
      const lineMap = maps[k];
      const base = rawStarts[k];
      if (lineMap === void 0) spans.add(base + start, base + end, type);
      else spans.add(base + lineMap.rawIndex(start), base + lineMap.rawEndIndex(end), type);
    }
  });
  if (!found) return void 0;
  if (engine.customRules) engine.findCustom(plain, inWhole);
  const merged = spans.merged();
  if (merged.length === 0) return from === 0 && to === text.length ? text : text.slice(from, to);
  let out = "";
  let position = from;
  for (const span of merged) {
    const codes = coloured ? codesWithin(text, span.start, span.end) : "";
    out += text.slice(position, span.start) + replacementFor(span.type) + codes;
    position = span.end;
    counts[span.type] = (counts[span.type] ?? 0) + 1;
  }
  return out + text.slice(position, to);
}

// masking/encodings.ts
var MIN_SECRET_LENGTH = 4;
var MAX_ENCODED_LENGTH = 16 * 1024;
function secretVariants(value) {
  const out = /* @__PURE__ */ new Set([value]);
  if (value.length <= MAX_ENCODED_LENGTH) {
    const bytes = Buffer.from(value, "utf8");
    for (const form of base64Forms(bytes)) {
      out.add(form);
      out.add(toBase64Url(form));
    }
    const hex = bytes.toString("hex");
    out.add(hex);
    out.add(hex.toUpperCase());
    const url = encodeURIComponent(value);
    out.add(url);
    out.add(url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
    out.add(url.replace(/%20/g, "+"));
    out.add(url.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
    const json = JSON.stringify(value).slice(1, -1);
    out.add(json);
    out.add(json.replace(/\//g, "\\/"));
    const unicodeEscaped = json.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
    );
    out.add(unicodeEscaped);
    out.add(unicodeEscaped.replace(/\//g, "\\/"));
    for (const quoted of shellQuotedForms(value)) out.add(quoted);
  }
  return [...out].filter((form) => form.length >= MIN_SECRET_LENGTH);
}
function base64Forms(bytes) {
  const forms = [];
  for (const shift of [0, 1, 2]) {
    const total = shift + bytes.length;
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const start = shift === 0 ? 0 : shift + 1;
    const rest = total % 3;
    const determinedEnd = Math.floor(total / 3) * 4 + (rest === 0 ? 0 : rest);
    const core = encoded.slice(start, determinedEnd);
    forms.push(core, encoded.slice(start), encoded.slice(start).replace(/=+$/, ""));
  }
  return forms;
}
function toBase64Url(form) {
  return form.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function shellQuotedForms(value) {
  return [
    value.replace(/'/g, `'\\''`),
    value.replace(/'/g, `'"'"'`),
    value.replace(/["\\$`]/g, "\\$&"),
    value.replace(/[^A-Za-z0-9_\-.,:/@=+%^]/g, "\\$&")
  ];
}
function secretPieces(value) {
  const pieces = /* @__PURE__ */ new Set();
  if (value.trim().length === 0) return [];
  pieces.add(value);
  const lines = value.split(/\r\n|\n|\r/);
  if (lines.length > 1 || value.trim() !== value) {
    for (const line of lines) {
      pieces.add(line);
      pieces.add(line.trim());
    }
  }
  return [...pieces].filter((piece) => piece.length >= MIN_SECRET_LENGTH && piece.trim().length > 0);
}

// masking/known-values.ts
var MIN_BITS = 12;
var MAX_BITS = 22;
var GOLDEN = 2654435761 | 0;
var Q = 4;
var KnownValues = class {
  forms = [];
  seen = /* @__PURE__ */ new Set();
  bits = MIN_BITS;
  bitmap = new Int32Array(0);
  grams = 0;
  candidates = /* @__PURE__ */ new Map();
  /** Forms by their first 4 characters, and every 1-3 character prefix, for partial-line holds. */
  byStart = /* @__PURE__ */ new Map();
  shortPrefixes = /* @__PURE__ */ new Set();
  minLength = Infinity;
  longest = 0;
  stride = 1;
  /** Whether some form holds a line break. */
  multiline = false;
  get size() {
    return this.forms.length;
  }
  /** Adds forms of at least 4 characters each; returns how many were new. */
  add(forms) {
    let added = 0;
    let shortest = this.minLength;
    for (const form of forms) {
      if (form.length < Q) throw new TypeError("a known value form must be at least 4 characters");
      if (this.seen.has(form)) continue;
      this.seen.add(form);
      this.forms.push(form);
      if (form.includes("\n") || form.includes("\r")) this.multiline = true;
      added++;
      shortest = Math.min(shortest, form.length);
      this.longest = Math.max(this.longest, form.length);
      const start = form.slice(0, Q);
      const list = this.byStart.get(start);
      if (list === void 0) this.byStart.set(start, [form]);
      else list.push(form);
      for (let k = 1; k < Q; k++) this.shortPrefixes.add(form.slice(0, k));
    }
    if (added === 0) return 0;
    const wanted = Math.min(
      MAX_BITS,
      Math.max(MIN_BITS, Math.ceil(Math.log2((this.grams + added * this.stride + 1) * 64)))
    );
    if (shortest < this.minLength || wanted > this.bits || this.bitmap.length === 0) {
      this.minLength = Math.min(this.minLength, shortest);
      this.stride = this.minLength - Q + 1;
      this.bits = Math.max(this.bits, wanted);
      this.bitmap = new Int32Array(1 << this.bits - 5);
      this.candidates = /* @__PURE__ */ new Map();
      this.grams = 0;
      for (const known of this.forms) this.index(known);
    } else {
      for (const form of this.forms.slice(-added)) this.index(form);
    }
    return added;
  }
  index(form) {
    for (let offset = 0; offset < this.stride && offset + Q <= form.length; offset++) {
      const gram = form.slice(offset, offset + Q);
      const bit = fingerprint(gram, this.bits);
      this.grams++;
      this.bitmap[bit >>> 5] |= 1 << (bit & 31);
      const list = this.candidates.get(gram);
      const candidate = { text: form, offset };
      if (list === void 0) this.candidates.set(gram, [candidate]);
      else list.push(candidate);
    }
  }
  /** Calls `found` for every occurrence of a known form (overlaps included). */
  scan(text, found) {
    const n = text.length;
    if (this.forms.length === 0 || n < Q) return;
    const bitmap = this.bitmap;
    const stride = this.stride;
    const shift = 32 - this.bits;
    for (let i = 0; i + Q <= n; i += stride) {
      const h = (text.charCodeAt(i) & 255) << 24 | (text.charCodeAt(i + 1) & 255) << 16 | (text.charCodeAt(i + 2) & 255) << 8 | text.charCodeAt(i + 3) & 255;
      const bit = Math.imul(h, GOLDEN) >>> shift;
      if ((bitmap[bit >>> 5] & 1 << (bit & 31)) !== 0) this.verify(text, i, found);
    }
  }
  verify(text, at, found) {
    const list = this.candidates.get(text.slice(at, at + Q));
    if (list === void 0) return;
    for (const { text: form, offset } of list) {
      const start = at - offset;
      if (start >= 0 && text.startsWith(form, start)) found(start, start + form.length);
    }
  }
  /**
   * The earliest index from which the end of `text` is the beginning of a known form, or text.length.
   * Text from there on must not be released yet: the rest of the secret may come in the next write.
   */
  prefixStart(text) {
    const n = text.length;
    if (this.forms.length === 0) return n;
    for (let start = Math.max(0, n - this.longest + 1); start < n; start++) {
      const rest = n - start;
      if (rest < Q) {
        if (this.shortPrefixes.has(text.slice(start))) return start;
        continue;
      }
      const list = this.byStart.get(text.slice(start, start + Q));
      if (list === void 0) continue;
      const tail = text.slice(start);
      if (list.some((form) => form.length > rest && form.startsWith(tail))) return start;
    }
    return n;
  }
};
function fingerprint(gram, bits) {
  const h = (gram.charCodeAt(0) & 255) << 24 | (gram.charCodeAt(1) & 255) << 16 | (gram.charCodeAt(2) & 255) << 8 | gram.charCodeAt(3) & 255;
  return Math.imul(h, GOLDEN) >>> 32 - bits;
}

// masking/engine.ts
var NUMERIC_ISLAND = /\b\d{3}[\d ./()-]{5,}(?!\w)/g;
var MIN_ISLAND_DIGITS = 8;
var PASS_FAMILY = {
  tokens: FAMILY.tokens,
  keywords: FAMILY.keywords,
  "key-suffixes": FAMILY.keywords,
  literals: FAMILY.literals
};
var PARTIAL_LOOKBACK = 512;
var MatchEngine = class {
  known = new KnownValues();
  passes = [];
  singleChars = [];
  /**
   * What the line classifier looks for, by family; undefined when a rule cannot be found that way (a
   * one-character anchor other than `@`), and every line then gets every pass.
   */
  classifierAnchors = [];
  /** Every proper prefix of every anchor ("g", "gh", "ghp" of "ghp_"). */
  anchorPrefixes = /* @__PURE__ */ new Set();
  longestAnchorPrefix = 0;
  numeric = [];
  scanners = [];
  /**
   * Whether a policy's custom rules are among the rules: regexes that may match anywhere, across lines
   * too, so they run over whole text (findCustom), never over the line classifier's lines.
   */
  customRules = false;
  partials = [];
  constructor(rules) {
    const byPass = /* @__PURE__ */ new Map();
    for (const rule of rules) {
      if (rule.kind === "numeric") {
        this.numeric.push(rule);
        continue;
      }
      if (rule.partial !== void 0) this.partials.push(rule.partial);
      if (rule.kind === "scan") {
        this.scanners.push(rule);
        if (rule !== ibanRule) this.customRules = true;
        continue;
      }
      const families = rule.prefix === void 0 ? FAMILY.literals : [rule.pass ?? "tokens", ...(rule.morePrefixes ?? []).map((more) => more.pass)].reduce(
        (bits, pass) => bits | PASS_FAMILY[pass],
        0
      );
      for (const anchor of rule.anchors) {
        const onlyWithAt = rule.lineAlsoHas === "@";
        if (anchor.length > 1) this.classifierAnchors?.push({ text: anchor, family: families, onlyWithAt });
        else if (anchor !== "@") this.classifierAnchors = void 0;
        for (let k = 1; k < anchor.length; k++) this.anchorPrefixes.add(anchor.slice(0, k));
        this.longestAnchorPrefix = Math.max(this.longestAnchorPrefix, anchor.length - 1);
      }
      if (rule.prefix !== void 0) {
        addTo(byPass, rule.pass ?? "tokens", { rule, source: rule.prefix });
        for (const more of rule.morePrefixes ?? []) addTo(byPass, more.pass, { rule, source: more.prefix });
        continue;
      }
      const multi = rule.anchors.filter((anchor) => anchor.length > 1);
      for (const anchor of rule.anchors) if (anchor.length === 1) this.singleChars.push({ anchor, rule });
      if (multi.length > 0) addTo(byPass, "literals", { rule, source: multi.map(escapeRegex).join("|") });
    }
    for (const [name, members] of byPass) {
      const rules2 = members.map(({ rule, source }) => ({ rule, sticky: compiled(source, "y") }));
      this.passes.push({
        // Sources are top-level alternations, so joining them with | needs no group (groups slow irregexp).
        regex: compiled(members.map(({ source }) => source).join("|"), "g"),
        family: PASS_FAMILY[name],
        rules: rules2,
        ...name === "literals" ? { byFirstChar: byFirstChar(rules2) } : {}
      });
    }
    if (this.numeric.length > 0) this.partials.push(NUMERIC_PARTIAL);
  }
  /** Registers the literal forms of a known value; returns how many were new. */
  addSecretForms(forms) {
    return this.known.add(forms);
  }
  get secretForms() {
    return this.known.size;
  }
  /** Whether a known value spans lines (text split at a line end must then be searched whole). */
  get multilineSecrets() {
    return this.known.multiline;
  }
  /** The anchors the line classifier needs for these rules, or undefined when it cannot serve them. */
  lineClassifierAnchors() {
    return this.classifierAnchors;
  }
  /** Finds everything to mask in `plain` (text without colour codes). */
  find(plain, out) {
    this.findKnown(plain, out);
    this.findRules(plain, out, ALL_FAMILIES);
  }
  /** A policy's custom rules over `plain` (whole text: they may match across lines), as find runs them. */
  findCustom(plain, out) {
    for (const scanner of this.scanners) if (scanner !== ibanRule) scanner.scan(plain, out);
  }
  /** Known values in `plain`, spans as find gives them. */
  findKnown(plain, out) {
    this.known.scan(plain, (start, end) => out.add(start, end, SECRET_TYPE));
  }
  /**
   * The rules (not known values) over lines the line classifier vetted: `texts[k]` is a line's plain text
   * (its \n included, but for a last line without one) and `families[k]` the passes it needs. Each pass
   * runs over the lines of its family joined, in order, and its spans are given back by line. Returns false
   * when that cannot stand in for searching the text whole, having given nothing: a span ran past the end
   * of its line (rules never match across lines, so the joined text was not what it ran over) or a key
   * block starts. A policy's custom rules are not run here: see findCustom.
   */
  findInLines(texts, families, out) {
    let union = 0;
    for (const family of families) union |= family;
    const found = [];
    let valid = true;
    const joins = /* @__PURE__ */ new Map();
    const joinOf = (family) => {
      let join2 = joins.get(family);
      if (join2 !== void 0) return join2;
      const lines = [];
      const starts = [];
      const pieces = [];
      let length = 0;
      for (let k = 0; k < texts.length; k++) {
        if ((families[k] & family) === 0) continue;
        lines.push(k);
        starts.push(length);
        pieces.push(texts[k]);
        length += texts[k].length;
      }
      const sink = {
        add: (start, end, type) => {
          if (end <= start) return;
          const j = lastAtOrBefore(starts, start);
          const line = lines[j];
          const from = start - starts[j];
          const to = end - starts[j];
          if (to > texts[line].length) valid = false;
          else found.push({ line, start: from, end: to, type });
        },
        openBlock: false
      };
      join2 = { text: pieces.length === 1 ? pieces[0] : pieces.join(""), sink };
      joins.set(family, join2);
      return join2;
    };
    for (const pass of this.passes) {
      if ((pass.family & union) === 0) continue;
      const join2 = joinOf(pass.family);
      this.runPass(pass, join2.text, join2.sink);
    }
    if ((union & FAMILY.email) !== 0) {
      const join2 = joinOf(FAMILY.email);
      this.findSingleChars(join2.text, join2.sink);
    }
    if (this.numeric.length > 0 && (union & FAMILY.numbers) !== 0) {
      const join2 = joinOf(FAMILY.numbers);
      this.findNumbers(join2.text, join2.sink);
    }
    if (this.scanners.includes(ibanRule) && (union & FAMILY.iban) !== 0) {
      const join2 = joinOf(FAMILY.iban);
      ibanRule.scan(join2.text, join2.sink);
    }
    for (const join2 of joins.values()) if (join2.sink.openBlock) valid = false;
    if (!valid) return false;
    for (const span of found) out.add(span.line, span.start, span.end, span.type);
    return true;
  }
  /** The rules of `families` over `text`, known values aside. */
  findRules(text, out, families) {
    for (const pass of this.passes) if ((pass.family & families) !== 0) this.runPass(pass, text, out);
    if ((families & FAMILY.email) !== 0) this.findSingleChars(text, out);
    if (this.numeric.length > 0 && (families & FAMILY.numbers) !== 0) this.findNumbers(text, out);
    for (const scanner of this.scanners) {
      if (scanner !== ibanRule || (families & FAMILY.iban) !== 0) scanner.scan(text, out);
    }
  }
  runPass({ regex, rules: all, byFirstChar: byFirstChar2 }, text, out) {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      const rules = byFirstChar2?.get(text.charCodeAt(m.index)) ?? all;
      if (rules.length === 1 && rules === all) {
        rules[0].rule.match(text, m.index, out);
        continue;
      }
      for (const { rule, sticky } of rules) {
        sticky.lastIndex = m.index;
        if (sticky.test(text)) rule.match(text, m.index, out);
      }
    }
  }
  findSingleChars(text, out) {
    for (const { anchor, rule } of this.singleChars) {
      for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + 1))
        rule.match(text, at, out);
    }
  }
  findNumbers(plain, out) {
    const n = plain.length;
    NUMERIC_ISLAND.lastIndex = 0;
    for (let m = NUMERIC_ISLAND.exec(plain); m !== null; m = NUMERIC_ISLAND.exec(plain)) {
      let lo = m.index;
      while (lo > 0 && isIslandChar(plain.charCodeAt(lo - 1))) lo--;
      const matchEnd = m.index + m[0].length;
      let start = -1;
      for (let s = lo; s < matchEnd; s++) {
        if (canStartNumber(plain, s)) {
          start = s;
          break;
        }
      }
      if (start === -1) continue;
      let end = matchEnd;
      while (end > start && !isDigit(plain.charCodeAt(end - 1))) end--;
      if (end < n && isWord(plain.charCodeAt(end))) continue;
      if (end + 1 < n && isJoiner(plain.charCodeAt(end)) && isWord(plain.charCodeAt(end + 1))) {
        while (end > start && isDigit(plain.charCodeAt(end - 1))) end--;
        while (end > start && !isDigit(plain.charCodeAt(end - 1))) end--;
        if (end <= start) continue;
      }
      let digits = 0;
      for (let i = start; i < end; i++) if (isDigit(plain.charCodeAt(i))) digits++;
      if (digits < MIN_ISLAND_DIGITS) continue;
      const island = plain.slice(start, end);
      for (const rule of this.numeric) if (digits >= rule.minDigits) rule.matchIsland(island, start, out);
    }
  }
  /**
   * For a partial line: the earliest index from which its end may be the beginning of a known value or of
   * a rule match that the next write completes. Text before it can be released now; the rest is held.
   */
  holdStart(plain) {
    const n = plain.length;
    let hold = this.known.prefixStart(plain);
    const from = Math.max(0, n - PARTIAL_LOOKBACK);
    const tail = plain.slice(from);
    for (const partial of this.partials) {
      const m = partial.exec(tail);
      if (m !== null && m[0].length > 0) hold = Math.min(hold, from + m.index);
    }
    for (let k = Math.min(this.longestAnchorPrefix, n); k >= 1 && n - k < hold; k--) {
      if (!this.anchorPrefixes.has(plain.slice(n - k))) continue;
      if (k < 3 && n > k && isLowerOrDigit(plain.charCodeAt(n - k - 1))) continue;
      hold = n - k;
      break;
    }
    return hold;
  }
};
var regexCache = /* @__PURE__ */ new Map();
function compiled(source, flags) {
  const key = `${flags}/${source}`;
  let regex = regexCache.get(key);
  if (regex === void 0) {
    regex = new RegExp(source, flags);
    regexCache.set(key, regex);
  }
  return regex;
}
function byFirstChar(rules) {
  const map = /* @__PURE__ */ new Map();
  for (const entry of rules) {
    for (const code of new Set(entry.rule.anchors.map((anchor) => anchor.charCodeAt(0)))) {
      addTo(map, code, entry);
    }
  }
  return map;
}
function lastAtOrBefore(values, position) {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = lo + hi + 1 >> 1;
    if (values[mid] <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
function addTo(map, key, value) {
  const list = map.get(key);
  if (list === void 0) map.set(key, [value]);
  else list.push(value);
}
function escapeRegex(literal) {
  return literal.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function isIslandChar(c) {
  return isDigit(c) || c === 32 || c === 46 || c === 47 || c === 40 || c === 41 || c === 45 || c === 43;
}
function canStartNumber(plain, s) {
  const c = plain.charCodeAt(s);
  if (!(isDigit(c) || c === 43 || c === 40)) return false;
  if (s === 0) return true;
  const before = plain.charCodeAt(s - 1);
  if (isWord(before)) return false;
  return !(s >= 2 && isJoiner(before) && isWord(plain.charCodeAt(s - 2)));
}
function isJoiner(c) {
  return c === 45 || c === 46;
}
function isLowerOrDigit(c) {
  return c >= 48 && c <= 57 || c >= 97 && c <= 122;
}
function isWord(c) {
  return c >= 48 && c <= 57 || c >= 65 && c <= 90 || c >= 97 && c <= 122 || c === 95;
}

// masking/line-classifier/kernel-wasm.ts
var KERNEL_WASM_BASE64 = "AGFzbQEAAAABDQFgCH9/f39/f39/AX8DAwIAAAUDAQAABhADfwFBAAt/AUEAC38BQQALBxUCCGNsYXNzaWZ5AAEGbWVtb3J5AgAKkBcCwhECJH8LeyACQQAgAUEBavwLACAEBEAgBEEANgIACyADQYABaiERIANBgAJqISAgA0GACmohHyADQYALaiEeIANBkAtqISNBACQBQQAkAkEBISkgAP0ABAAiLf0MMDAwMDAwMDAwMDAwMDAwMP0sIC39DDk5OTk5OTk5OTk5OTk5OTn9Kv1O/WQhECAt/QxhYWFhYWFhYWFhYWFhYWFh/SwgLf0Menp6enp6enp6enp6enp6ev0q/U4gLf0MX19fX19fX19fX19fX19fX/0j/VD9ZCAt/QxBQUFBQUFBQUFBQUFBQUFB/SwgLf0MWlpaWlpaWlpaWlpaWlpaWv0q/U79ZCIPIBByciEOIBAgLf0MICAgICAgICAgICAgICAgIP0jIC39DC0tLS0tLS0tLS0tLS0tLS39LCAt/QwvLy8vLy8vLy8vLy8vLy8v/Sr9Tv1QIC39DCgoKCgoKCgoKCgoKCgoKCj9LCAt/QwpKSkpKSkpKSkpKSkpKSkp/Sr9Tv1Q/WRyISsDQCABICVKBEAgACAlaiIW/QAEECIs/QwwMDAwMDAwMDAwMDAwMDAw/SwgLP0MOTk5OTk5OTk5OTk5OTk5Of0q/U79ZCENIC39DAoKCgoKCgoKCgoKCgoKCgr9I/1kISggA/0ABAAgLf0MDw8PDw8PDw8PDw8PDw8PD/1OIjX9DiAD/QAEECAtQQT9bSIx/Q79TiADQSBq/QAEACAW/QAEASIu/QwPDw8PDw8PDw8PDw8PDw8P/U4iNv0OIAP9AAQwIC5BBP1tIjT9Dv1O/U4gA0FAayIL/QAEACAW/QAEAiIu/QwPDw8PDw8PDw8PDw8PDw8P/U4iMP0OIAv9AAQQIC5BBP1tIjP9Dv1OIANB4ABq/QAEACAW/QAEAyIv/QwPDw8PDw8PDw8PDw8PDw8P/U4iLv0OIAP9AARwIC9BBP1tIjL9Dv1O/U79TiIvIBH9AAQAIDX9DiAR/QAEECAx/Q79TiARIgtBIGr9AAQAIDb9DiAL/QAEMCA0/Q79Tv1OIAtBQGsiDP0ABAAgMP0OIAz9AAQQIDP9Dv1OIAtB4ABq/QAEACAu/Q4gC/0ABHAgMv0O/U79Tv1OIi79UP0MAAAAAAAAAAAAAAAAAAAAAP0k/WQiFSAt/QwbGxsbGxsbGxsbGxsbGxsb/SP9ZCIaIC39DEBAQEBAQEBAQEBAQEBAQED9I/1kIhsgKyANICz9DCAgICAgICAgICAgICAgICD9IyAs/QwtLS0tLS0tLS0tLS0tLS0t/SwgLP0MLy8vLy8vLy8vLy8vLy8vL/0q/U79UCAs/QwoKCgoKCgoKCgoKCgoKCgo/SwgLP0MKSkpKSkpKSkpKSkpKSkpKf0q/U79UP1kciIrQRB0ciILIAtBAXZxIgsgC0ECdnEiCyALQQR2cSAOQX9zQQF0IClyQf//A3EiFCAQcXEgDiAs/QxhYWFhYWFhYWFhYWFhYWFh/SwgLP0Menp6enp6enp6enp6enp6ev0q/U4gLP0MX19fX19fX19fX19fX19fX/0j/VD9ZCAs/QxBQUFBQUFBQUFBQUFBQUFB/SwgLP0MWlpaWlpaWlpaWlpaWlpaWv0q/U79ZCIMIA1yciILQRB0ckF/c0GAgICAeHIiEiAQIA1BEHRyIhMgEkEBdnFyIhAgEyATQQF2cSISIBBBAnZxciIQIBIgEkECdnEiEiAQQQR2cXIiECASIBJBBHZxIhIgEEEIdnFyIhAgEiASQQh2cSAQQRB2cXJBCHZxIh0gDyAMQRB0ciIPIA9BAXZxIBNBAnZxIBNBA3ZxIBRxIhxycnJyQf//A3EiJwRAIBUEQCAjIC/9CwQAICMgLv0LBBALA0BBEEEAIB1BASAnaCITdCIUcRsiD0EgciAPIBQgHHEbIg9BCHIgDyAUIBtxGyEPIBQgGnEEQCAPQb8BciEPIwFFIAogJiAoIBRBAWtxIhJpaiIQR3JBACAFGwRAIAUjAUEDdGoiCiAQNgIAIAogJUEgaiASZ2sgIiASGzYCBCMBQQFqJAEgECEKCwsgFCAVcQRAIBMgFmooAgAhGSATICNqLQAAICNBEGogE2otAABBCHRyISlBACEQA0AgHiApaCIYai0AACEXQQAhKgNAIBcgKksEQCAgIBhBA3QgKmoiE0EDdGoiEigCACAZIBIoAgRxRgRAIBMgH2otAAAiEkGAAXEEQCAQIBJB/35xciEQBSAPIBJyIQ8LCyAqQQFqISoMAQsLICkgKUEBa3EiKQ0ACyAQBEAgJiAoIBRBAWtxaWohEyAHICRBAWtBAnRqIRIgJAR/IBIoAgBBCHYgE0YFQQALBEAgEiASKAIAIBByNgIABSAHICRBAnRqIBNBCHQgEHI2AgAgJEEBaiEkCwsLIA8EQCACICYgKCAUQQFrcWlqaiIQIBAtAAAgD3I6AAAgCCAPciEICyAnICdBAWtxIicNAAsLQRAhKUH//wMhKkEAIScgLf1kIhAEQCAt/Qy/v7+/v7+/v7+/v7+/v7+//Sf9ZCIqaSAt/Qzv7+/v7+/v7+/v7+/v7+/v/Sf9ZCAQcSInaWohKQNAIBBBACAGGwRAIwJFIAkgJiAoQQEgEGh0QQFrcSISaWoiD0dyBEAgBiMCQQN0aiAlQSBqIBJnayAiIBIbNgIAIwJBAWokAiAPIQkLIBAgEEEBa3EhEAwBCwsLA0AgKARAQQIgKGgiEHRBAWshDyAmQQFqISYgECAlakEBaiEiIAQEQCAEICZBAnRqIA8gJ3FpICEgDyAqcWlqajYCAAsgKCAoQQFrcSEoDAELCyAhIClqISEgDkF/c0EPdkEBcSEpICwhLSANIRAgDCEPIAshDiAlQRBqISUMAQsLQQAhAANAIAAgJEkEQCACIAcgAEECdGooAgAiBEEIdmoiAy0AACIBQQhxBEAgAyABIARyOgAAIAggBEH/AXFyIQgLIABBAWohAAwBCwsgCCQAICYLyQUBB38gACABIAIgAyAEIAUgBiAHEAAhCwNAIAojAkkEQCAGIApBA3RqKAIAIgwhCSABIQQDQCABIAlKBEACQCAAIAlq/QAEAP0MCgoKCgoKCgoKCgoKCgoKCv0j/WQiDQRAIAEgCSANaGpBAWoiBCABIARIGyEEDAELIAlBEGohCQwCCwsLIAgEfyAGIAhBAWtBA3RqKAIEIAxGBUEACwRAIAYgCEEBa0EDdGogBDYCBAUgBiAIQQN0aiIJIAw2AgAgCSAENgIEIAhBAWohCAsgCkEBaiEKDAELCyADQbQLaiAINgIAIwAhBCMBIgwEQCAAIAFqIQ0gBSAMQQN0aiIOIQhBACEJA0AgCSAMSQRAIAAgBSAJQQN0aigCBGohAQNAIAEgDUkEQCABLQAAIgpBCkcEQCAKQRtGBEBBACEEAkAgDSABQQJqIgZJBH9BAQUgAS0AAUHbAEcLDQADQCAGIA1JBH8gBi0AAEEwTwVBAAsEfyAGLQAAQT9NBUEACwRAIAZBAWohBgwBCwsDQCAGIA1JBH8gBi0AAEEgTwVBAAsEfyAGLQAAQS9NBUEACwRAIAZBAWohBgwBCwsgBkEBaiABayEEIAYgDUkEfyAGLQAAQcAATwVBAAsEfyAGLQAAQf4ATQVBAAsNAEEAIQQLBUEAIQQLIAQEQCABIARqIQEMAwsgCCAKOgAAIAhBAWohCCABQQFqIQEMAgsLCyAIQQo6AAAgCEEBaiEIIAlBAWohCQwBCwsgCEEAQcAA/AsAIA4gCCAOayAIQUBrIgEgA0EAQQBBACAHEAAaQQAhAANAIAAgDEkEQCAFIABBA3RqKAIAIAJqIAAgAWotAABBgAFyOgAAIABBAWohAAwBCwtBACEEQQAhAANAIAAgC00EQCAEIAAgAmotAAByIQQgAEEBaiEADAELCwsgA0GwC2ogBDoAACALCw==";

// masking/line-classifier/teddy-tables.ts
var ONLY_WITH_AT = 128;
var TEDDY_TABLE_BYTES = 1456;
var PRINTS = 256;
var PRINT_FAMILY = 1280;
var PRINT_COUNT = 1408;
var GROUPS = 2;
var BUCKETS = 8 * GROUPS;
var PER_BUCKET = 8;
var OFFSETS = 4;
var MAX_FINGERPRINTS = BUCKETS * PER_BUCKET;
function commonness(c) {
  if (c === 32) return 100;
  const ch = String.fromCharCode(c);
  const lower = "etaoinsrhldcumfpgwybvkxjqz";
  const at = lower.indexOf(ch);
  if (at !== -1) return 95 - at * 2;
  if (c >= 48 && c <= 57) return 70;
  if ("./-:".includes(ch)) return 75;
  if (`_,()"'=`.includes(ch)) return 45;
  const upper = "ETAOINSRHLDCUMFPGWYBVKXJQZ";
  const up = upper.indexOf(ch);
  if (up !== -1) return 40 - up;
  return 20;
}
function fingerprint2(text) {
  if (text.length <= OFFSETS) return text;
  let best = 0;
  let bestScore = Infinity;
  for (let i = 0; i + OFFSETS <= text.length; i++) {
    let score = 0;
    for (let k = 0; k < OFFSETS; k++) score += commonness(text.charCodeAt(i + k)) ** 2;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return text.slice(best, best + OFFSETS);
}
var BYTE_WEIGHT = (() => {
  const weight = new Float64Array(256);
  let total = 0;
  for (let c = 0; c < 256; c++) {
    weight[c] = c === 9 || c >= 32 && c < 127 ? commonness(c) ** 2 : 4;
    total += weight[c];
  }
  for (let c = 0; c < 256; c++) weight[c] = weight[c] / total;
  return weight;
})();
function acceptance(lo, hi) {
  let p = 1;
  for (let k = 0; k < OFFSETS; k++) {
    let q = 0;
    for (let high = hi[k]; high !== 0; high &= high - 1) {
      const row = 31 - Math.clz32(high & -high);
      for (let low = lo[k]; low !== 0; low &= low - 1)
        q += BYTE_WEIGHT[row * 16 + 31 - Math.clz32(low & -low)];
    }
    p *= q;
  }
  return p;
}
function nibbleSets(prints) {
  const lo = [0, 0, 0, 0];
  const hi = [0, 0, 0, 0];
  for (const { text } of prints) {
    for (let k = 0; k < OFFSETS; k++) {
      const byte = k < text.length ? text.charCodeAt(k) : void 0;
      lo[k] = byte === void 0 ? 65535 : lo[k] | 1 << (byte & 15);
      hi[k] = byte === void 0 ? 65535 : hi[k] | 1 << (byte >> 4);
    }
  }
  return { lo, hi };
}
function bucketCost(prints) {
  if (prints.length === 0) return 0;
  const { lo, hi } = nibbleSets(prints);
  return acceptance(lo, hi);
}
function fillBuckets(fingerprints) {
  const buckets = Array.from({ length: BUCKETS }, () => ({ prints: [], cost: 0 }));
  const sorted = [...fingerprints].sort(
    (a, b) => a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : a.family - b.family)
  );
  const cheapest = (print, except) => {
    let best;
    let bestAdded = Infinity;
    for (const bucket of buckets) {
      if (bucket === except || bucket.prints.length === PER_BUCKET) continue;
      const added = bucketCost([...bucket.prints, print]) - bucket.cost;
      if (added < bestAdded) {
        bestAdded = added;
        best = bucket;
      }
    }
    return { bucket: best, added: bestAdded };
  };
  for (const print of sorted) {
    const { bucket } = cheapest(print);
    bucket.prints.push(print);
    bucket.cost = bucketCost(bucket.prints);
  }
  for (let round = 0; round < 8; round++) {
    let moved = false;
    for (const from of buckets) {
      for (const print of [...from.prints]) {
        const rest = from.prints.filter((other) => other !== print);
        const saved = from.cost - bucketCost(rest);
        const to = cheapest(print, from);
        if (to.added >= saved * 0.999) continue;
        from.prints = rest;
        from.cost = bucketCost(rest);
        to.bucket.prints.push(print);
        to.bucket.cost = bucketCost(to.bucket.prints);
        moved = true;
      }
    }
    if (!moved) break;
  }
  return buckets;
}
function buildTeddyTables(anchors) {
  const fingerprints = /* @__PURE__ */ new Map();
  for (const anchor of anchors) {
    if (anchor.text.length < 2) {
      throw new Error(`teddy: anchor ${JSON.stringify(anchor.text)} is shorter than two characters`);
    }
    if (/[^\t\x20-\x7e]/.test(anchor.text)) {
      throw new Error(`teddy: anchor ${JSON.stringify(anchor.text)} is not printable ASCII`);
    }
    if ((anchor.family & ONLY_WITH_AT) !== 0)
      throw new Error(`teddy: family ${anchor.family} is out of range`);
    const text = fingerprint2(anchor.text);
    const condition = anchor.onlyWithAt === true ? ONLY_WITH_AT : 0;
    const key = `${condition}:${text}`;
    const family = (fingerprints.get(key)?.family ?? condition) | anchor.family;
    fingerprints.set(key, { text, family });
  }
  if (fingerprints.size > MAX_FINGERPRINTS) return null;
  const buckets = fillBuckets(fingerprints.values());
  const tables = new Uint8Array(TEDDY_TABLE_BYTES);
  const view = new DataView(tables.buffer);
  buckets.forEach((bucket, index) => {
    const group = index >> 3;
    const bit = 1 << (index & 7);
    const sets = nibbleSets(bucket.prints);
    for (let k = 0; k < OFFSETS && bucket.prints.length > 0; k++) {
      for (let nibble = 0; nibble < 16; nibble++) {
        const lo = group * 128 + k * 32 + nibble;
        if (sets.lo[k] & 1 << nibble) tables[lo] = tables[lo] | bit;
        if (sets.hi[k] & 1 << nibble) tables[lo + 16] = tables[lo + 16] | bit;
      }
    }
    tables[PRINT_COUNT + index] = bucket.prints.length;
    bucket.prints.forEach(({ text, family }, e) => {
      let value = 0;
      let mask = 0;
      for (let k = 0; k < text.length; k++) {
        value |= text.charCodeAt(k) << 8 * k;
        mask |= 255 << 8 * k;
      }
      view.setUint32(PRINTS + (index * PER_BUCKET + e) * 8, value >>> 0, true);
      view.setUint32(PRINTS + (index * PER_BUCKET + e) * 8 + 4, mask >>> 0, true);
      tables[PRINT_FAMILY + index * PER_BUCKET + e] = family;
    });
  });
  return tables;
}

// masking/line-classifier/classifier.ts
var wasm = globalThis.WebAssembly;
var TABLES = 1024;
var UNION = TEDDY_TABLE_BYTES;
var WIDE_COUNT = TEDDY_TABLE_BYTES + 4;
var INPUT = 4096;
var PADDING = 64;
var PAGE = 65536;
var kernel;
function kernelModule() {
  if (kernel === void 0) {
    try {
      const bytes = Buffer.from(KERNEL_WASM_BASE64, "base64");
      kernel = wasm !== void 0 && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
    } catch {
      kernel = null;
    }
  }
  return kernel;
}
var tableCache = /* @__PURE__ */ new Map();
function tablesFor(anchors) {
  const key = anchors.map((anchor) => `${anchor.family}:${anchor.text}`).join("\n");
  let tables = tableCache.get(key);
  if (tables === void 0) {
    tables = buildTeddyTables(anchors);
    if (tableCache.size > 64) tableCache.clear();
    tableCache.set(key, tables);
  }
  return tables;
}
var MAX_CLASSIFIED_BYTES = 512 * 1024;
function createLineClassifier(anchors) {
  const module = kernelModule();
  const tables = tablesFor(anchors);
  if (module === null || tables === null) return null;
  const exports = new wasm.Instance(module).exports;
  const memory = exports.memory;
  let heap = new Uint8Array(memory.buffer);
  const ensure = (bytes) => {
    if (memory.buffer.byteLength >= bytes) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    heap = new Uint8Array(memory.buffer);
  };
  ensure(INPUT);
  heap.set(tables, TABLES);
  return {
    classify(bytes) {
      const len = bytes.length;
      if (len > MAX_CLASSIFIED_BYTES) return null;
      const flags = INPUT + len + PADDING;
      const starts = flags + len + 1 + 3 & ~3;
      const work = starts + 4 * (len + 1);
      const wide = work + 10 * (len + 1) + 2 * PADDING + 3 & ~3;
      const pending = wide + 8 * (len + 1);
      ensure(pending + 4 * (len + 2));
      heap.set(bytes, INPUT);
      heap.fill(0, INPUT + len, INPUT + len + PADDING);
      const newlines = exports.classify(INPUT, len, flags, TABLES, starts, work, wide, pending);
      const ranges = new Uint32Array(heap.buffer, TABLES + WIDE_COUNT, 1)[0];
      return {
        families: heap.slice(flags, flags + newlines + 1),
        union: heap[TABLES + UNION],
        starts: new Uint32Array(heap.buffer.slice(starts, starts + 4 * (newlines + 1))),
        wide: new Uint32Array(heap.buffer.slice(wide, wide + 8 * ranges))
      };
    }
  };
}

// masking/utf8-stream.ts
import { isAscii } from "node:buffer";
var Utf8Stream = class {
  // TextDecoder in streaming mode decodes more than twice as fast as StringDecoder (1.2 against 2.6 ms per
  // MiB in bench/masking.ts).
  decoder = new TextDecoder("utf-8");
  /** Whether the decoder may hold the first bytes of a character split across chunks. */
  mayHoldBytes = false;
  /** Whether any byte went out: a byte-order mark after that is text. */
  started = false;
  /**
   * The text of the next chunk. `wide`, when known (the line classifier's), are byte ranges as start, end
   * pairs, each ending with \n or at the end of the chunk, outside of which every byte is ASCII: only those
   * go through the decoder.
   */
  decode(chunk, wide) {
    if (chunk.length === 0) return "";
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.mayHoldBytes && (wide === void 0 ? isAscii(chunk) : wide.length === 0)) {
      this.asciiGoesOut();
      return bytes.toString("latin1");
    }
    if (this.mayHoldBytes || wide === void 0) {
      this.started = true;
      this.mayHoldBytes = chunk[chunk.length - 1] >= 128;
      return this.decoder.decode(chunk, { stream: true });
    }
    const pieces = [];
    let at = 0;
    for (let k = 0; k < wide.length; k += 2) {
      const start = wide[k];
      const end = wide[k + 1];
      if (start > at) {
        this.asciiGoesOut();
        pieces.push(bytes.toString("latin1", at, start));
      }
      this.started = true;
      pieces.push(this.decoder.decode(chunk.subarray(start, end), { stream: true }));
      at = end;
    }
    if (at < chunk.length) pieces.push(bytes.toString("latin1", at, chunk.length));
    this.mayHoldBytes = chunk[chunk.length - 1] >= 128;
    return pieces.join("");
  }
  /**
   * What the decoder still holds (an unfinished character: U+FFFD), at the end of the stream. What comes
   * after is a new stream, as with TextDecoder: a byte-order mark at its very start is dropped.
   */
  end() {
    const rest = this.decoder.decode();
    this.decoder = new TextDecoder("utf-8");
    this.mayHoldBytes = false;
    this.started = false;
    return rest;
  }
  asciiGoesOut() {
    if (!this.started) this.decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    this.started = true;
  }
};

// masking/segment.ts
function maskSegment(segment, engine, counts, partial, context = "") {
  const given = typeof segment === "string" ? void 0 : segment;
  const raw = given === void 0 ? segment : given.raw;
  let body = raw;
  let heldEscape = "";
  if (partial) {
    const escape = incompleteEscapeStart(raw);
    if (escape !== -1) {
      body = raw.slice(0, escape);
      heldEscape = raw.slice(escape);
    }
  }
  const map = given !== void 0 && body === raw ? given : new AnsiMap(body);
  const plain = map.plain;
  const shift = context.length;
  const list = new SpanList();
  engine.find(shift === 0 ? plain : context + plain, list);
  let spans = list.merged();
  if (shift !== 0) spans = unshift(spans, shift);
  let cut = plain.length;
  if (partial) {
    cut = Math.max(0, engine.holdStart(shift === 0 ? plain : context + plain) - shift);
    for (let i = spans.length - 1; i >= 0; i--) {
      const span = spans[i];
      if (span.start < cut && span.end > cut) cut = span.start;
    }
  }
  const released = cut === plain.length ? plain : plain.slice(0, cut);
  if (spans.length === 0) {
    const rawCut2 = cut === plain.length ? body.length : map.rawIndex(cut);
    const text2 = rawCut2 === body.length ? body : body.slice(0, rawCut2);
    return { text: text2, rest: body.slice(rawCut2) + heldEscape, openBlock: false, released };
  }
  let text = "";
  let position = 0;
  for (const span of spans) {
    if (span.end > cut) break;
    const from = map.rawIndex(span.start);
    const to = map.rawEndIndex(span.end);
    text += body.slice(position, from) + replacementFor(span.type) + map.codesWithin(from, to);
    position = to;
    counts[span.type] = (counts[span.type] ?? 0) + 1;
  }
  const rawCut = cut === plain.length ? body.length : map.rawIndex(cut);
  text += body.slice(position, rawCut);
  return { text, rest: body.slice(rawCut) + heldEscape, openBlock: !partial && list.openBlock, released };
}
function unshift(spans, shift) {
  const out = [];
  for (const span of spans) {
    if (span.end <= shift) continue;
    out.push({ start: Math.max(0, span.start - shift), end: span.end - shift, type: span.type });
  }
  return out;
}

// masking/masker.ts
var MAX_HELD_CHARS = 64 * 1024;
var EMPTY = Object.freeze({ runner: "", record: "" });
var KEY_BLOCK_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/;
var KEY_BODY_LINE = /^(?:[A-Za-z0-9+/=]*|[A-Z][A-Za-z0-9-]*: .*)$/;
var KEY_MASK = replacementFor("private-key");
var CONTEXT_CHARS = 256;
var SPECIAL_ANCHORS = ["::ad", "::aD", "::Ad", "::AD", "-----BEGIN"].map((text) => ({
  text,
  family: FAMILY.special
}));
var MaskerCore = class {
  engine;
  hits = /* @__PURE__ */ Object.create(null);
  /**
   * Made on the first write of bytes (a masker used only for maskText, as per SQL statement, never needs
   * one); null when the rules or this runtime do not allow it, and every line then gets every pass.
   */
  lineClassifier;
  constructor(options) {
    const rules = resolvePacks(options.packs ?? DEFAULT_PACKS);
    for (const custom of options.rules ?? []) rules.push(compileCustomRule(custom));
    this.engine = new MatchEngine(rules);
    if (options.lineClassifier === false) this.lineClassifier = null;
    for (const secret of options.secrets ?? []) this.addSecret(secret);
  }
  classifier() {
    if (this.lineClassifier === void 0) {
      const anchors = this.engine.lineClassifierAnchors();
      this.lineClassifier = anchors === void 0 ? null : createLineClassifier([...anchors, ...SPECIAL_ANCHORS]);
    }
    return this.lineClassifier;
  }
  addSecret(value) {
    if (typeof value !== "string") throw new TypeError("addSecret expects a string");
    this.engine.addSecretForms(secretPieces(value).flatMap((piece) => secretVariants(piece)));
  }
  maskText(text) {
    if (typeof text !== "string") throw new TypeError("maskText expects a string");
    return this.maskLines(text, { inKeyBlock: false, context: "" });
  }
  counts() {
    return Object.freeze({ ...this.hits });
  }
  stream() {
    return new MaskingStream(this);
  }
  /** Masks complete text; with `commands`, `::add-mask::` lines are honoured and kept for the runner. */
  maskComplete(text, state, commands) {
    if (!commands || !containsAddMask(text)) {
      const masked2 = this.maskLines(text, state);
      return { runner: masked2, record: masked2 };
    }
    let runner = "";
    let record = "";
    let batch = "";
    for (const line of splitLines(text)) {
      const command = parseAddMask(line);
      if (command === void 0) {
        batch += line;
        continue;
      }
      const masked2 = this.maskLines(batch, state);
      batch = "";
      this.addSecret(command.value);
      runner += masked2 + line;
      record += masked2 + command.prefix + (command.data === "" ? "" : "***") + command.terminator;
    }
    const masked = this.maskLines(batch, state);
    return { runner: runner + masked, record: record + masked };
  }
  /**
   * Masks `text.slice(from, to)`, complete lines the classifier saw whole, beginning with line `firstLine`
   * of `classified`: only the lines that have a family, with only the passes they need. Text the classifier
   * cannot vouch for line by line (an `::add-mask::` command, a private key block, a line partly released
   * before) takes the path of maskComplete.
   */
  maskClassified(text, from, to, classified, firstLine, state) {
    const special = (classified.union & FAMILY.special) !== 0;
    const masked = special || state.inKeyBlock || state.context !== "" ? void 0 : maskClassifiedLines(text, from, to, classified, firstLine, this.engine, this.hits);
    if (masked === void 0) return this.maskComplete(text.slice(from, to), state, true);
    return { runner: masked, record: masked };
  }
  /**
   * Whether the line held from earlier writes may be masked apart from the rest of the write: not when a
   * known value spans lines, or a policy's custom rules (which may) are on, as masking the text whole would
   * find a match that spans the two. (A key block that starts there is carried over by the line state.)
   */
  mayMaskApart(held) {
    return held === "" || !(this.engine.multilineSecrets || this.engine.customRules);
  }
  /** Masks a partial line, holding back a tail that could still grow into a match. */
  maskPartial(text, state, overflow) {
    if (state.inKeyBlock) {
      if (!overflow) return { output: EMPTY, rest: text };
      return { output: { runner: KEY_MASK, record: KEY_MASK }, rest: "" };
    }
    if (!overflow && mayBeAddMask(text)) return { output: EMPTY, rest: text };
    const result = maskSegment(text, this.engine, this.hits, true, state.context);
    state.context = (state.context + result.released).slice(-CONTEXT_CHARS);
    return { output: { runner: result.text, record: result.text }, rest: result.rest };
  }
  maskLines(text, state) {
    if (text === "") return "";
    const context = state.context;
    state.context = "";
    const map = new AnsiMap(text);
    if (!state.inKeyBlock && !startsKeyBlock(context, map.plain)) {
      return maskSegment(map, this.engine, this.hits, false, context).text;
    }
    let out = "";
    let first = true;
    for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
      const body = line.replace(/(?:\r\n|\n|\r)$/, "");
      const terminator = line.slice(body.length);
      out += this.maskLine(body, state, first ? context : "") + terminator;
      first = false;
    }
    return out;
  }
  maskLine(line, state, context = "") {
    if (state.inKeyBlock) {
      const map = new AnsiMap(line);
      const plain = map.plain;
      const end = KEY_BLOCK_END.exec(plain);
      if (end !== null) {
        state.inKeyBlock = false;
        const rawAfter = map.rawEndIndex(end.index + end[0].length);
        return KEY_MASK + this.maskLine(line.slice(rawAfter), state);
      }
      if (KEY_BODY_LINE.test(plain.trim())) return KEY_MASK;
      state.inKeyBlock = false;
    }
    const result = maskSegment(line, this.engine, this.hits, false, context);
    if (result.openBlock) state.inKeyBlock = true;
    return result.text;
  }
};
var MaskingStream = class {
  constructor(core) {
    this.core = core;
  }
  core;
  held = "";
  state = { inKeyBlock: false, context: "" };
  utf8 = new Utf8Stream();
  write(chunk) {
    if (typeof chunk !== "string") throw new TypeError("StreamMasker.write expects a string");
    return this.writeText(chunk, null);
  }
  writeUtf8(bytes) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("StreamMasker.writeUtf8 expects bytes");
    const classified = this.core.classifier()?.classify(bytes) ?? null;
    const text = this.utf8.decode(bytes, classified?.wide);
    return this.writeText(
      text,
      classified !== null && alignLineStarts(classified.starts, text) ? classified : null
    );
  }
  writeText(chunk, classified) {
    if (chunk === "") return EMPTY;
    const lastNewline = chunk.lastIndexOf("\n");
    const lineEnd = chunk.indexOf("\r", lastNewline + 1) === -1 ? lastNewline : chunk.lastIndexOf("\r");
    let output = EMPTY;
    if (lineEnd === -1) {
      this.held += chunk;
    } else if (classified === null) {
      output = this.core.maskComplete(this.held + chunk.slice(0, lineEnd + 1), this.state, true);
      this.held = chunk.slice(lineEnd + 1);
    } else if (!this.core.mayMaskApart(this.held)) {
      const text = this.held + chunk.slice(0, lineEnd + 1);
      const lines = withHeldLine(classified, text, this.held.length);
      output = this.core.maskClassified(text, 0, text.length, lines, 0, this.state);
      this.held = chunk.slice(lineEnd + 1);
    } else {
      let from = 0;
      if (this.held !== "") {
        const firstNewline = chunk.indexOf("\n");
        from = firstNewline === -1 || firstNewline >= lineEnd ? lineEnd + 1 : firstNewline + 1;
        output = this.core.maskComplete(this.held + chunk.slice(0, from), this.state, true);
      }
      if (from <= lineEnd) {
        const firstLine = from === 0 ? 0 : 1;
        output = join(
          output,
          this.core.maskClassified(chunk, from, lineEnd + 1, classified, firstLine, this.state)
        );
      }
      this.held = chunk.slice(lineEnd + 1);
    }
    if (this.held.length > MAX_HELD_CHARS) output = join(output, this.releasePartial(true));
    return output;
  }
  flushPartial() {
    return this.releasePartial(false);
  }
  flush() {
    const rest = this.utf8.end();
    const output = rest === "" ? EMPTY : this.writeText(rest, null);
    if (this.held === "") return output;
    const text = this.held;
    this.held = "";
    return join(output, this.core.maskComplete(text, this.state, true));
  }
  pending() {
    return this.held !== "";
  }
  releasePartial(overflow) {
    if (this.held === "") return EMPTY;
    const { output, rest } = this.core.maskPartial(this.held, this.state, overflow);
    if (overflow && rest.length > MAX_HELD_CHARS) {
      this.held = "";
      return join(output, this.core.maskComplete(rest, this.state, false));
    }
    this.held = rest;
    return output;
  }
};
function startsKeyBlock(context, plain) {
  if (plain.indexOf("-----BEGIN") !== -1) return true;
  return context !== "" && `${context.slice(-9)}${plain.slice(0, 10)}`.indexOf("-----BEGIN") !== -1;
}
function splitLines(text) {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}
function withHeldLine(classified, text, held) {
  const starts = classified.starts.map((start, i) => i === 0 ? 0 : start + held);
  const first = text.slice(0, starts.length > 1 ? starts[1] : text.length);
  const escape = first.indexOf("\x1B") !== -1;
  const special = containsAddMask(first) || startsKeyBlock("", escape ? new AnsiMap(first).plain : first);
  const families = classified.families.slice();
  families[0] = ALL_FAMILIES | (escape ? FAMILY.ansi : 0) | (special ? FAMILY.special : 0);
  return { families, starts, union: classified.union | families[0], wide: classified.wide };
}
function join(a, b) {
  if (a === EMPTY) return b;
  if (b === EMPTY) return a;
  return { runner: a.runner + b.runner, record: a.record + b.record };
}
function createMasker(options = {}) {
  return new MaskerCore(options);
}

export {
  Utf8Stream,
  PACK_NAMES,
  DEFAULT_PACKS,
  createMasker
};
