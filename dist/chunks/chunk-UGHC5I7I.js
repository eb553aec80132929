import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  checkSshTarget,
  summarizeSshTarget
} from "./chunk-UASNS3YF.js";
import {
  GuardError
} from "./chunk-I2IPMUGB.js";

// server/secret-box.ts
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
function secretBox(key) {
  if (key.length !== 32) throw new TypeError("secretBox: the key must be 32 bytes");
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `v1.${iv.toString("base64url")}.${cipher.getAuthTag().toString("base64url")}.${body.toString("base64url")}`;
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || body === void 0) {
        throw new GuardError(
          "CONFIG_INVALID",
          "guard server: a sealed value in the database is not in a known format"
        );
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString(
          "utf8"
        );
      } catch (error) {
        throw new GuardError(
          "CONFIG_INVALID",
          "guard server: cannot decrypt a stored secret; is GUARD_SECRET_KEY the key this database was created with?",
          { cause: error }
        );
      }
    }
  };
}
async function loadServerSecret(options) {
  if (options.secretKey) {
    const key = Buffer.from(options.secretKey, "base64");
    if (key.length !== 32)
      throw new GuardError(
        "CONFIG_INVALID",
        "guard server: GUARD_SECRET_KEY must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)"
      );
    return key;
  }
  if (options.databaseUrl) {
    throw new GuardError(
      "CONFIG_INVALID",
      "guard server: with DATABASE_URL, set GUARD_SECRET_KEY (32 bytes, base64; the same on every replica) so stored keys are encrypted at rest"
    );
  }
  if (!options.dataDir) return randomBytes(32);
  const file = `${options.dataDir.replace(/\/+$/, "")}.secret.key`;
  try {
    return Buffer.from((await readFile(file, "utf8")).trim(), "base64");
  } catch {
    await mkdir(dirname(file), { recursive: true });
    const key = randomBytes(32);
    await writeFile(file, `${key.toString("base64")}
`, { mode: 384, flag: "wx" });
    await chmod(file, 384);
    return key;
  }
}

// server/ssh/ssh-targets.ts
var NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
async function registerSshTarget(db, box, name, target) {
  if (!NAME.test(name))
    throw new GuardError(
      "BAD_INPUT",
      `guard: ssh target name '${name}' must be lower-case letters, digits, '.', '_' or '-'`
    );
  let checked;
  try {
    checked = checkSshTarget(target);
  } catch (error) {
    throw new GuardError("BAD_INPUT", `guard: ${error.message}`, { cause: error });
  }
  const stored = {
    host: target.host,
    port: target.port,
    username: target.username,
    privateKey: target.privateKey,
    ...target.passphrase ? { passphrase: target.passphrase } : {},
    hostKeys: [...new Set(checked.hostKeys.map((key) => key.line))]
  };
  const summary = summarizeSshTarget(stored, checked.clientKey);
  await db.query(
    `insert into ssh_targets (name, target_sealed, summary) values ($1, $2, $3)
     on conflict (name) do update set target_sealed = excluded.target_sealed, summary = excluded.summary,
       updated_at = now()`,
    [name, box.seal(JSON.stringify(stored)), JSON.stringify(summary)]
  );
  return summary;
}
async function removeSshTarget(db, name) {
  return (await db.query("delete from ssh_targets where name = $1", [name])).rowCount > 0;
}
async function listSshTargets(db) {
  const { rows } = await db.query(
    "select name, summary from ssh_targets order by name"
  );
  return rows.map((row) => ({
    name: row.name,
    ...typeof row.summary === "string" ? JSON.parse(row.summary) : row.summary
  }));
}
async function sshTargetRegistered(db, name) {
  return (await db.query("select 1 from ssh_targets where name = $1", [name])).rowCount > 0;
}
async function releaseSshTarget(db, box, name) {
  const { rows } = await db.query(
    "select target_sealed from ssh_targets where name = $1",
    [name]
  );
  const row = rows[0];
  if (!row)
    throw new GuardError(
      "NOT_FOUND",
      `guard: no SSH target '${name}' is registered on the guard server; the platform team adds it with \`guard server ssh add ${name} --host HOST --user USER --key FILE --host-key '...'\``
    );
  return JSON.parse(box.open(row.target_sealed));
}

export {
  secretBox,
  loadServerSecret,
  registerSshTarget,
  removeSshTarget,
  listSshTargets,
  sshTargetRegistered,
  releaseSshTarget
};
