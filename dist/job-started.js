import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  runJobStarted
} from "./chunks/chunk-BRNSH7DP.js";
import "./chunks/chunk-2RDDSRY6.js";
import "./chunks/chunk-LROATGUR.js";
import "./chunks/chunk-TF3SHLX6.js";
import "./chunks/chunk-I2IPMUGB.js";
import "./chunks/chunk-VTIIOCZ3.js";

// runner-hook/job-started.ts
process.exitCode = await runJobStarted(process.env);
