import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// pg-proxy/sql/classify.ts
var FIRST_WORD_CLASS = {
  select: "select",
  values: "select",
  table: "select",
  show: "other",
  fetch: "select",
  insert: "insert",
  update: "update",
  delete: "delete",
  create: "create",
  alter: "alter",
  drop: "drop",
  truncate: "truncate",
  grant: "grant",
  revoke: "revoke",
  copy: "copy",
  do: "do",
  call: "call",
  begin: "other",
  start: "other",
  commit: "other",
  end: "other",
  rollback: "other",
  abort: "other",
  savepoint: "other",
  release: "other",
  prepare: "other",
  set: "other",
  reset: "other"
};
var WRITE_RANK = { insert: 1, update: 2, delete: 3 };
function classifyStatement(tokens) {
  const words = tokens.filter((t) => t.type === "word");
  const tables = tablesTouched(tokens);
  let cls = leadingClass(tokens);
  const withoutWhere = hasWriteWithoutWhere(tokens);
  if (cls === "select" || cls === "other") {
    for (const w of words) {
      const rank = WRITE_RANK[w.value];
      if (rank !== void 0 && isWriteKeyword(tokens, w) && rank > (WRITE_RANK[cls] ?? 0)) {
        cls = w.value;
      }
    }
  }
  return { class: cls, tables, withoutWhere };
}
function leadingClass(tokens) {
  let i = 0;
  while (tokens[i]?.type === "punct" && tokens[i].value === "(") i++;
  const first = tokens[i];
  if (first === void 0 || first.type !== "word") return "other";
  if (first.value === "with") return "select";
  if (first.value === "explain") {
    const rest = tokens.slice(i + 1).filter((t) => !(t.type === "word" && EXPLAIN_OPTIONS.has(t.value)));
    const inner = rest.findIndex((t) => t.type === "word" && FIRST_WORD_CLASS[t.value] !== void 0);
    return inner < 0 ? "select" : leadingClass(rest.slice(inner));
  }
  if (first.value === "prepare") {
    const second = tokens[i + 1];
    if (second?.type === "word" && second.value === "transaction") return "other";
    const as = tokens.findIndex((t, k) => k > i && t.type === "word" && t.value === "as");
    return as < 0 ? "other" : leadingClass(tokens.slice(as + 1));
  }
  if (first.value === "merge") {
    const actions = tokens.filter((t, k) => t.type === "word" && tokens[k - 1]?.value === "then").map((t) => t.value);
    return actions.includes("delete") ? "delete" : actions.includes("update") ? "update" : "insert";
  }
  return FIRST_WORD_CLASS[first.value] ?? "other";
}
var EXPLAIN_OPTIONS = /* @__PURE__ */ new Set([
  "analyze",
  "analyse",
  "verbose",
  "costs",
  "buffers",
  "format",
  "on",
  "off",
  "true",
  "false"
]);
function isWriteKeyword(tokens, w) {
  const index = tokens.indexOf(w);
  const prev = tokens[index - 1];
  if (prev === void 0) return true;
  if (prev.type === "punct" && prev.value === "(") return true;
  if (prev.type === "word" && prev.value === "do") return false;
  if (prev.type === "word" && (prev.value === "as" || prev.value === "materialized")) return true;
  return false;
}
function hasWriteWithoutWhere(tokens) {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== "word" || t.value !== "update" && t.value !== "delete") continue;
    if (i > 0 && !isWriteKeyword(tokens, t)) continue;
    let hasWhere = false;
    for (let k = i + 1; k < tokens.length; k++) {
      const u = tokens[k];
      if (u.depth < t.depth) break;
      if (u.depth === t.depth && u.type === "word" && u.value === "where") {
        hasWhere = true;
        break;
      }
    }
    if (!hasWhere) return true;
  }
  return false;
}
var TABLE_AFTER = /* @__PURE__ */ new Set([
  "from",
  "join",
  "into",
  "update",
  "table",
  "truncate",
  "copy",
  "using",
  "references",
  "lock",
  "on"
]);
var MODIFIERS = /* @__PURE__ */ new Set([
  "only",
  "if",
  "not",
  "exists",
  "table",
  "lateral",
  "unlogged",
  "temporary",
  "temp",
  "concurrently"
]);
var NOT_TABLE = /* @__PURE__ */ new Set([
  "select",
  "values",
  "with",
  "lateral",
  "stdin",
  "stdout",
  "program",
  "conflict",
  "commit",
  "delete",
  "rows",
  "set",
  "add",
  "drop",
  "alter",
  "rename",
  "column",
  "constraint",
  "validate",
  "owner",
  "enable",
  "disable",
  "of"
]);
function tablesTouched(tokens) {
  const cteNames = /* @__PURE__ */ new Set();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if ((t.type === "word" || t.type === "ident") && next.type === "word" && next.value === "as") {
      const after = tokens[i + 2];
      const after2 = tokens[i + 3];
      if (after?.value === "(" && after.type === "punct" || after?.type === "word" && after2?.value === "(") {
        cteNames.add(t.value);
      }
    }
  }
  const found = [];
  const add = (name) => {
    if (!cteNames.has(name) && !found.includes(name)) found.push(name);
  };
  const first = tokens[0];
  const ddlObject = first?.type === "word" && ["create", "alter", "drop", "grant", "revoke", "truncate", "lock"].includes(first.value);
  let listDepth = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (listDepth >= 0 && (t.depth < listDepth || t.depth === listDepth && t.type === "word" && LIST_END.has(t.value))) {
      listDepth = -1;
    }
    const comma = t.type === "punct" && t.value === ",";
    const listComma = comma && t.depth === listDepth;
    const ddlComma = comma && t.depth === 0 && ddlObject;
    if (!listComma && !ddlComma && (t.type !== "word" || !TABLE_AFTER.has(t.value))) continue;
    if (t.value === "from" || t.value === "using") listDepth = t.depth;
    if (t.value === "update" && i > 0 && !isWriteKeyword(tokens, t)) continue;
    if (t.value === "on" && !ddlObject) continue;
    if (ddlComma && !listComma && !tokens.slice(0, i).some((u) => u.type === "word" && DDL_LIST.has(u.value)))
      continue;
    let k = i + 1;
    while (tokens[k]?.type === "word" && MODIFIERS.has(tokens[k].value)) k++;
    const name = qualifiedName(tokens, k);
    if (name === void 0 || NOT_TABLE.has(name.name)) continue;
    const after = tokens[name.next];
    const isCall = after?.type === "punct" && after.value === "(" && !COLUMN_LIST_AFTER.has(t.value);
    if (!isCall) add(name.name);
  }
  return found;
}
var LIST_END = /* @__PURE__ */ new Set([
  "where",
  "group",
  "having",
  "order",
  "limit",
  "offset",
  "window",
  "union",
  "intersect",
  "except",
  "returning",
  "for",
  "fetch",
  "set",
  "values",
  "select"
]);
var DDL_LIST = /* @__PURE__ */ new Set(["table", "truncate", "on"]);
var COLUMN_LIST_AFTER = /* @__PURE__ */ new Set(["into", "copy", "references", "table", "on"]);
function qualifiedName(tokens, start) {
  const parts = [];
  let k = start;
  while (true) {
    const t = tokens[k];
    if (t === void 0 || t.type !== "word" && t.type !== "ident") break;
    parts.push(t.value);
    k++;
    const dot = tokens[k];
    if (dot?.type === "punct" && dot.value === ".") k++;
    else break;
  }
  if (parts.length === 0) return void 0;
  return { name: parts.join("."), next: k };
}

// pg-proxy/sql/tokenize.ts
function isWordStart(code) {
  return code >= 97 && code <= 122 || code >= 65 && code <= 90 || code === 95 || code >= 128;
}
function isWordChar(code) {
  return isWordStart(code) || code >= 48 && code <= 57 || code === 36;
}
function isDigit(code) {
  return code >= 48 && code <= 57;
}
var DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
function tokenize(sql) {
  const tokens = [];
  let i = 0;
  let depth = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === " " || c === "	" || c === "\n" || c === "\r" || c === "\f") {
      i++;
    } else if (c === "-" && next === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === "/" && next === "*") {
      i = skipBlockComment(sql, i);
    } else if (c === "'" || (c === "E" || c === "e") && next === "'") {
      const start = i;
      const escapes = c !== "'";
      i = skipQuoted(sql, escapes ? i + 1 : i, "'", escapes);
      tokens.push({ type: "string", value: sql.slice(start, i), start, end: i, depth });
    } else if (c === '"') {
      const start = i;
      i = skipQuoted(sql, i, '"', false);
      const inner = sql.slice(start + 1, sql[i - 1] === '"' && i - 1 > start ? i - 1 : i).replaceAll('""', '"');
      tokens.push({ type: "ident", value: inner, start, end: i, depth });
    } else if (c === "$") {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 64));
      if (tag !== null) {
        const start = i;
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        tokens.push({ type: "string", value: sql.slice(start, i), start, end: i, depth });
      } else {
        const start = i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        tokens.push({ type: "param", value: sql.slice(start, i), start, end: i, depth });
      }
    } else if (isWordStart(c.charCodeAt(0))) {
      const start = i++;
      while (i < n && isWordChar(sql.charCodeAt(i))) i++;
      tokens.push({ type: "word", value: sql.slice(start, i).toLowerCase(), start, end: i, depth });
    } else if (c >= "0" && c <= "9") {
      const start = i++;
      while (i < n && (isDigit(sql.charCodeAt(i)) || ".eE_".includes(sql[i]))) i++;
      tokens.push({ type: "number", value: sql.slice(start, i), start, end: i, depth });
    } else {
      if (c === ")") depth = Math.max(0, depth - 1);
      tokens.push({ type: "punct", value: c, start: i, end: i + 1, depth });
      if (c === "(") depth++;
      i++;
    }
  }
  return tokens;
}
function skipBlockComment(sql, from) {
  let level = 0;
  let i = from;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      level++;
      i += 2;
    } else if (sql[i] === "*" && sql[i + 1] === "/") {
      level--;
      i += 2;
      if (level === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}
function skipQuoted(sql, from, quote, backslashEscapes) {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === "\\") {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return sql.length;
}

// pg-proxy/sql/split.ts
function statementRanges(tokens) {
  const ranges = [];
  let first = 0;
  let atomicDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === "punct" && t.value === ";" && t.depth === 0 && atomicDepth === 0) {
      if (i > first) ranges.push({ first, end: i });
      first = i + 1;
      continue;
    }
    if (t.type === "word") {
      const prev = tokens[i - 1];
      if (t.value === "atomic" && prev?.type === "word" && prev.value === "begin") atomicDepth++;
      else if (atomicDepth > 0 && t.value === "case") atomicDepth++;
      else if (atomicDepth > 0 && t.value === "end") atomicDepth--;
    }
  }
  if (tokens.length > first) ranges.push({ first, end: tokens.length });
  return ranges;
}
function statementText(sql, tokens, range) {
  const end = range.end < tokens.length ? tokens[range.end].start : sql.length;
  return sql.slice(tokens[range.first].start, end).trim();
}

// pg-proxy/sql/analyze.ts
function analyzeSql(sql) {
  const tokens = tokenize(sql);
  return withTexts(sql, tokens, analyzeShape(tokens));
}
function analyzeShape(tokens) {
  const ranges = statementRanges(tokens);
  return {
    ranges,
    infos: ranges.map((r) => classifyStatement(tokens.slice(r.first, r.end).map(literalBlind)))
  };
}
function withTexts(sql, tokens, shape) {
  const statements = [];
  for (let i = 0; i < shape.ranges.length; i++) {
    const info = shape.infos[i];
    statements.push({
      text: statementText(sql, tokens, shape.ranges[i]),
      class: info.class,
      tables: info.tables,
      withoutWhere: info.withoutWhere
    });
  }
  return statements;
}
function literalBlind(t) {
  if (t.type === "string") return { ...t, value: "''" };
  if (t.type === "number") return { ...t, value: "0" };
  return t;
}
var TYPE_MARK = {
  word: "w",
  ident: "i",
  string: "s",
  number: "n",
  param: "p",
  punct: "."
};
function shapeKey(tokens) {
  let key = "";
  for (const t of tokens) {
    if (t.type === "string") key += "s";
    else if (t.type === "number") key += "n";
    else key += `${TYPE_MARK[t.type]}${t.value.length}:${t.value}`;
  }
  return key;
}
function createStatementAnalyzer(maxEntries = 1e3, maxText = 8192) {
  const shapes = /* @__PURE__ */ new Map();
  return (sql) => {
    const tokens = tokenize(sql);
    if (sql.length > maxText) return withTexts(sql, tokens, analyzeShape(tokens));
    const key = shapeKey(tokens);
    let shape = shapes.get(key);
    if (shape === void 0) {
      shape = analyzeShape(tokens);
      if (shapes.size >= maxEntries) shapes.delete(shapes.keys().next().value);
      shapes.set(key, shape);
    }
    return withTexts(sql, tokens, shape);
  };
}

export {
  tokenize,
  analyzeSql,
  createStatementAnalyzer
};
