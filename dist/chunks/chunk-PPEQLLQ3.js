import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);

// recording/canonical-json.ts
function canonicalJson(value) {
  const out = serialise(value, "$");
  if (out === void 0) throw new TypeError("canonicalJson: the top-level value is not serialisable");
  return out;
}
function serialise(value, path) {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} is ${value}, not a finite number`);
      return JSON.stringify(value);
    case "undefined":
    case "function":
    case "symbol":
      return void 0;
    case "bigint":
      throw new TypeError(`canonicalJson: ${path} is a bigint; convert it to a string first`);
    case "object":
      break;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => serialise(item, `${path}[${i}]`) ?? "null").join(",")}]`;
  }
  const withToJson = value;
  if (typeof withToJson.toJSON === "function") return serialise(withToJson.toJSON(), path);
  const record = value;
  const parts = [];
  for (const key of Object.keys(record).sort()) {
    const item = serialise(record[key], `${path}.${key}`);
    if (item !== void 0) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(",")}}`;
}

export {
  canonicalJson
};
