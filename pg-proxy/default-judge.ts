// The SQL policy of the stand-alone proxy when no --policy folder is given: the two rules every database
// step should have. require-approval has no approver in stand-alone mode, so those statements are refused
// with a message saying so.

import type { JudgeResult, StatementForPolicy } from './options.js';

export function defaultJudge(stmt: StatementForPolicy): JudgeResult {
  if ((stmt.class === 'update' || stmt.class === 'delete') && stmt.withoutWhere) {
    return {
      action: 'block',
      rule: 'built-in sql[0]',
      reason: `${stmt.class.toUpperCase()} without WHERE changes every row; add a WHERE clause`,
    };
  }
  if (stmt.class === 'drop' || stmt.class === 'truncate' || stmt.class === 'alter') {
    return {
      action: 'require-approval',
      rule: 'built-in sql[1]',
      reason: `${stmt.class.toUpperCase()} needs a reviewer`,
    };
  }
  return { action: 'allow' };
}
