import { describe, expect, it } from 'vitest';
import { splitStatements } from './split.js';
import { classifyStatement } from './classify.js';
import { maskSqlSecrets } from './mask-sql.js';
import { StatementClasses } from './classify.js';
import { SQL_CLASSES } from '../../policies/index.js';
import { analyzeSql, createStatementAnalyzer } from './analyze.js';

const info = (sql: string) => {
  const [stmt] = splitStatements(sql);
  return classifyStatement(stmt!.tokens);
};

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const sql = `select 'a;b', "x;y" from t; -- c;d
      insert into t values ($$;$$, $tag$ ; $x$ ; $tag$); /* e; /* nested; */ f; */ delete from t where id = 1;`;
    expect(splitStatements(sql).map((s) => s.text)).toEqual([
      `select 'a;b', "x;y" from t`,
      `insert into t values ($$;$$, $tag$ ; $x$ ; $tag$)`,
      'delete from t where id = 1',
    ]);
  });

  it('drops empty statements and keeps a SQL-standard function body whole', () => {
    expect(splitStatements(';;  ; -- only a comment\n').map((s) => s.text)).toEqual([]);
    const body = `create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end; select 3`;
    expect(splitStatements(body).map((s) => s.text)).toEqual([
      'create function f() returns int language sql begin atomic select 1; select case when true then 2 end; end',
      'select 3',
    ]);
  });

  it('does not split inside E-strings with backslash-escaped quotes', () => {
    expect(splitStatements(`select E'it\\'s; fine'; select 2`).map((s) => s.text)).toEqual([
      `select E'it\\'s; fine'`,
      'select 2',
    ]);
  });
});

describe('classifyStatement', () => {
  it('uses exactly the statement classes a policy can name', () => {
    expect([...StatementClasses].sort()).toEqual([...SQL_CLASSES].sort());
  });

  it('names the class of each kind of statement', () => {
    const cases: [string, string][] = [
      ['SELECT * FROM t', 'select'],
      ['  (select 1) union (select 2)', 'select'],
      ['insert into t values (1)', 'insert'],
      ['UPDATE t SET a = 1 WHERE id = 2', 'update'],
      ['delete from t where id = 2', 'delete'],
      ['create table x (id int)', 'create'],
      ['ALTER TABLE x ADD COLUMN y int', 'alter'],
      ['drop table x', 'drop'],
      ['truncate x', 'truncate'],
      ['grant select on x to bob', 'grant'],
      ['revoke all on x from bob', 'revoke'],
      ['copy x to stdout', 'copy'],
      ['do $$ begin delete from x; end $$', 'do'],
      ['call proc()', 'call'],
      ['begin', 'other'],
      ['merge into t using s on s.id = t.id when matched then delete', 'delete'],
      ['merge into t using s on s.id = t.id when not matched then insert values (1)', 'insert'],
      ['set search_path = x', 'other'],
      ['explain analyze delete from t', 'delete'],
      ['with d as (delete from t returning *) select * from d', 'delete'],
      ['select * from t for update', 'select'],
      ['insert into t values (1) on conflict (id) do update set a = 1', 'insert'],
      ['prepare p as update t set a = 1', 'update'],
    ];
    for (const [sql, cls] of cases) expect(info(sql).class, sql).toBe(cls);
  });

  it('finds the tables a statement touches, not CTE names or functions', () => {
    expect(info('select a.x from public.accounts a join "Orders" o on o.id = a.id, items i').tables).toEqual([
      'public.accounts',
      'Orders',
      'items',
    ]);
    expect(
      info('with recent as (select * from orders) select * from recent, generate_series(1, 3)').tables,
    ).toEqual(['orders']);
    expect(info('insert into audit (id) select id from users').tables).toEqual(['audit', 'users']);
    expect(info('drop table if exists a, b cascade').tables).toEqual(['a', 'b']);
    expect(info('truncate only t1, t2 restart identity').tables).toEqual(['t1', 't2']);
    expect(info('create index i on customers (email)').tables).toEqual(['customers']);
    expect(info('copy customers (email) to stdout').tables).toEqual(['customers']);
    expect(info('update t set a = 1 from u where u.id = t.id').tables).toEqual(['t', 'u']);
    expect(info('delete from t using u where u.id = t.id').tables).toEqual(['t', 'u']);
  });

  it('flags update/delete without WHERE, including inside a CTE, and not a WHERE in a subquery', () => {
    expect(info('delete from t').withoutWhere).toBe(true);
    expect(info('update t set a = (select max(x) from u where u.id = 1)').withoutWhere).toBe(true);
    expect(info('update t set a = 1 where id = 2').withoutWhere).toBe(false);
    expect(info('with d as (delete from t) select 1').withoutWhere).toBe(true);
    expect(info('with d as (delete from t where x) select 1 from u').withoutWhere).toBe(false);
    expect(info('select * from t for update').withoutWhere).toBe(false);
    expect(info('insert into t values (1) on conflict (id) do update set a = 1').withoutWhere).toBe(false);
    expect(info("select 'delete from t'").withoutWhere).toBe(false);
  });
});

describe('analyzeSql and the shape-cached analyzer', () => {
  const strings = [
    `select 'a;b', "x;y" from t; -- c;d
      insert into t values ($$;$$, $tag$ ; $x$ ; $tag$); /* e; */ delete from t where id = 1;`,
    '  /* lead 1 */ SELECT abalance FROM pgbench_accounts WHERE aid = 42;  -- tail 7\n',
    "update t set a = 'x' where id = 1; delete from u",
    'create function f() returns int language sql begin atomic select 1; end; select 3',
    'with d as (delete from t returning *) select * from d where d.id = $1',
    ';;',
  ];

  it('gives what splitting and classifying each statement gives, cached or not', () => {
    const cached = createStatementAnalyzer();
    for (const sql of strings) {
      const expected = splitStatements(sql).map((s) => ({ text: s.text, ...classifyStatement(s.tokens) }));
      expect(analyzeSql(sql), sql).toEqual(expected);
      expect(cached(sql), sql).toEqual(expected);
      expect(cached(sql), `${sql} (second time)`).toEqual(expected);
    }
  });

  it('reuses a shape across literals, with each statement keeping its own text', () => {
    const analyze = createStatementAnalyzer();
    const a = analyze("select * from t where id = 1 and name = 'ann'; delete from u where x = 2.5");
    const b = analyze("select * from t where id = 9000 and name = 'o''brien'; delete from u where x = 1e3");
    expect(b.map((s) => s.text)).toEqual([
      "select * from t where id = 9000 and name = 'o''brien'",
      'delete from u where x = 1e3',
    ]);
    expect(b.map(({ text: _t, ...rest }) => rest)).toEqual(a.map(({ text: _t, ...rest }) => rest));
  });

  it('keeps shapes apart that differ in a name, a quoted name, a parameter or the statement split', () => {
    const analyze = createStatementAnalyzer();
    expect(analyze('select * from "t1" where a = 1')[0]!.tables).toEqual(['t1']);
    expect(analyze('select * from "t2" where a = 1')[0]!.tables).toEqual(['t2']);
    expect(analyze('select * from t1 where a = 1')[0]!.tables).toEqual(['t1']);
    expect(analyze('select * from t2 where a = 1')[0]!.tables).toEqual(['t2']);
    expect(analyze('delete from t where a = $1')[0]!.withoutWhere).toBe(false);
    expect(analyze("delete from t; select 'where a = 1'").map((s) => s.withoutWhere)).toEqual([true, false]);
    expect(analyze("delete from t where a = 1; select 'x'")[0]!.withoutWhere).toBe(false);
  });

  it('stays bounded and still analyses what it does not cache', () => {
    const analyze = createStatementAnalyzer(2, 40);
    for (let i = 0; i < 10; i++) expect(analyze(`select * from t${i}`)[0]!.tables).toEqual([`t${i}`]);
    const long = `select * from t where x in (${'1, '.repeat(30)}1)`;
    expect(analyze(long)).toEqual(analyzeSql(long));
  });
});

describe('maskSqlSecrets', () => {
  it('masks password literals and passwords in connection strings', () => {
    expect(maskSqlSecrets("ALTER ROLE app WITH ENCRYPTED PASSWORD 'hunter2' VALID UNTIL 'infinity'")).toBe(
      "ALTER ROLE app WITH ENCRYPTED PASSWORD '***' VALID UNTIL 'infinity'",
    );
    expect(maskSqlSecrets("create user mapping for u server s options (user 'x', password 'p@ss')")).toBe(
      "create user mapping for u server s options (user 'x', password '***')",
    );
    expect(maskSqlSecrets("select dblink_connect('host=db user=a password=s3cret dbname=x')")).toBe(
      "select dblink_connect('host=db user=a password=*** dbname=x')",
    );
    expect(maskSqlSecrets("select dblink('postgres://app:s3cret@db/x', 'q')")).toBe(
      "select dblink('postgres://app:***@db/x', 'q')",
    );
  });

  it('runs the masker over the text after the literal pass', () => {
    expect(
      maskSqlSecrets("select 'ann@example.com'", (s) => s.replace(/[\w.]+@[\w.]+\.com/g, '[email]')),
    ).toBe("select '[email]'");
  });
});
