import { createRequire as __guardCreateRequire } from 'node:module'; import { fileURLToPath as __guardFileURLToPath } from 'node:url'; import { dirname as __guardDirname } from 'node:path'; const require = __guardCreateRequire(import.meta.url); const __guard_filename = __guardFileURLToPath(import.meta.url); const __guard_dirname = __guardDirname(__guard_filename);
import {
  claimValue
} from "./chunk-KIAGOMB5.js";
import {
  globMatch
} from "./chunk-RUVNZ2BJ.js";

// policies/runners.ts
function checkRunnerGates(policy, runner, claims) {
  for (const field of ["labels", "workflows"]) {
    const bad = policy.runners[field].find((gate) => gate.patterns.length === 0);
    if (bad)
      return {
        ok: false,
        policy: bad.policy,
        reason: `policy ${bad.policy} (${bad.source}) has a malformed runners.${field}; fix the policy (refused until then)`
      };
  }
  for (const gate of policy.runners.labels) {
    const fits = runner.labels.some(
      (label) => gate.patterns.some((pattern) => globMatch(pattern, label, { ignoreCase: true }))
    );
    if (!fits)
      return {
        ok: false,
        policy: gate.policy,
        reason: `policy ${gate.policy} allows it only on runners labelled ${gate.patterns.join(" or ")}, and this runner has ${runner.labels.length > 0 ? runner.labels.join(", ") : "no labels"}. Use runs-on with a runner that carries one of them.`
      };
  }
  const refs = [claimValue(claims, "job_workflow_ref"), claimValue(claims, "workflow_ref")].filter(
    (r, i, all) => r !== void 0 && r !== "" && all.indexOf(r) === i
  );
  for (const gate of policy.runners.workflows) {
    if (!refs.some((ref) => gate.patterns.some((pattern) => globMatch(pattern, ref))))
      return {
        ok: false,
        policy: gate.policy,
        reason: `workflow ${refs.join(" (called from ") || "(unknown)"}${refs.length > 1 ? ")" : ""} is not among the workflows policy ${gate.policy} allows on self-hosted runners (${gate.patterns.join(", ")}). Ask the platform team to allow it, or run it elsewhere.`
      };
  }
  return { ok: true };
}

export {
  checkRunnerGates
};
