import { describe, expect, it } from 'vitest';
import { decodeDataRow, type FieldDescription } from '../protocol/decode.js';
import { encodeDataRow } from '../protocol/encode.js';
import { FrameReader } from '../protocol/frame-reader.js';
import { compileColumnGlobs } from './column-globs.js';
import { maskCopyRow } from './copy-mask.js';
import { scrubErrorFields } from './error-scrub.js';
import { ColumnAction, maskDataRow, planRows } from './row-plan.js';
import { ErrorField } from '../protocol/message-codes.js';

const field = (name: string, typeOid: number, format = 0, tableOid = 100, attnum = 1): FieldDescription => ({
  name,
  tableOid,
  attnum,
  typeOid,
  typeSize: -1,
  typeMod: -1,
  format,
});
const email = (s: string): string => s.replace(/[\w.]+@[\w.]+/g, '[email]');

describe('column globs', () => {
  it('match table.column and schema.table.column, case-insensitively, with * and ?', () => {
    const m = compileColumnGlobs(['*.email', 'public.customers.cp?', 'Orders.card_*']);
    expect(m.matches({ schema: 'crm', table: 'leads', column: 'EMAIL' })).toBe(true);
    expect(m.matches({ schema: 'public', table: 'customers', column: 'cpf' })).toBe(true);
    expect(m.matches({ schema: 'other', table: 'customers', column: 'cpf' })).toBe(false);
    expect(m.matches({ schema: 'public', table: 'orders', column: 'card_number' })).toBe(true);
    expect(m.matchesName('email')).toBe(true);
    expect(m.mayMatchTable('public', 'customers')).toBe(true);
    expect(() => compileColumnGlobs(['email'])).toThrow(/table.column/);
  });
});

describe('result rows', () => {
  const columns = compileColumnGlobs(['t.secret']);
  const ids = [
    { schema: 'public', table: 't', column: 'id' },
    { schema: 'public', table: 't', column: 'secret' },
    { schema: 'public', table: 't', column: 'note' },
    undefined,
  ];

  it('plans per column: masked by name, masker over text-like values, safe types left alone', () => {
    const plan = planRows(
      [field('id', 23), field('secret', 20), field('note', 25), field('x', 23, 0, 0, 0)],
      ids,
      columns,
      true,
    );
    expect(plan.actions).toEqual([
      ColumnAction.Keep,
      ColumnAction.MaskColumn,
      ColumnAction.MaskText,
      ColumnAction.Keep,
    ]);
    expect(plan.refusal).toBeUndefined();
  });

  it('refuses a masked non-text column in binary format, but not a text one', () => {
    expect(planRows([field('secret', 20, 1)], [ids[1]], columns, false).refusal).toMatch(
      /t\.secret is masked by policy/,
    );
    expect(planRows([field('secret', 25, 1)], [ids[1]], columns, false).refusal).toBeUndefined();
  });

  it('forwards rows untouched when nothing needs masking', () => {
    const plan = planRows([field('id', 23), field('n', 700)], [ids[0], undefined], columns, true);
    expect(plan.active).toBe(false);
  });

  it('rebuilds a DataRow with correct lengths, keeping NULLs and untouched values', () => {
    const plan = planRows(
      [field('id', 23), field('secret', 25), field('note', 25), field('n', 25)],
      ids,
      columns,
      true,
    );
    const row = encodeDataRow([
      Buffer.from('7'),
      Buffer.from('hunter2'),
      Buffer.from('mail ann@x.io now'),
      null,
    ]);
    const [frame] = new FrameReader().push(row);
    const masked = maskDataRow(frame!.payload, plan, email)!;
    expect(masked.masked).toBe(2);
    const [out] = new FrameReader().push(masked.message);
    expect(decodeDataRow(out!.payload).map((v) => v?.toString() ?? null)).toEqual([
      '7',
      '***',
      'mail [email] now',
      null,
    ]);
    // Nothing to change: undefined, so the caller forwards the original bytes.
    const clean = new FrameReader().push(
      encodeDataRow([Buffer.from('1'), null, Buffer.from('hi'), null]),
    )[0]!;
    expect(
      maskDataRow(
        clean.payload,
        planRows(
          [field('id', 23), field('s', 25), field('note', 25), field('n', 25)],
          [],
          compileColumnGlobs([]),
          true,
        ),
        email,
      ),
    ).toBeUndefined();
  });
});

describe('COPY rows', () => {
  it('masks named columns of a text-format row and keeps \\N', () => {
    const plan = {
      mode: 'columns',
      actions: [ColumnAction.Keep, ColumnAction.MaskColumn, ColumnAction.MaskText],
    } as const;
    expect(maskCopyRow(Buffer.from('1\tsecret\tann@x.io\n'), plan, email)?.data.toString()).toBe(
      '1\t***\t[email]\n',
    );
    expect(maskCopyRow(Buffer.from('2\t\\N\tplain\n'), plan, email)).toBeUndefined();
  });

  it('runs the masker over whole rows in value mode', () => {
    expect(maskCopyRow(Buffer.from('"a","ann@x.io"\n'), { mode: 'value' }, email)?.data.toString()).toBe(
      '"a","[email]"\n',
    );
  });
});

describe('error scrubbing', () => {
  it('removes row values from DETAIL and runs the masker over the text fields', () => {
    const fields = [
      [ErrorField.Code, '23505'],
      [ErrorField.Message, 'duplicate key value violates unique constraint "c_email_key"'],
      [ErrorField.Detail, 'Key (lower(email), org)=(ann@x.io, 7) already exists.'],
    ] as const;
    expect(scrubErrorFields(fields, undefined)?.[2]).toEqual([
      ErrorField.Detail,
      'Key (lower(email), org)=(***) already exists.',
    ]);
    const check = [[ErrorField.Detail, 'Failing row contains (1, ann@x.io, null).']] as const;
    expect(scrubErrorFields(check, undefined)).toEqual([[ErrorField.Detail, 'Failing row contains (***).']]);
    expect(scrubErrorFields([[ErrorField.Message, 'bad value ann@x.io']], email)).toEqual([
      [ErrorField.Message, 'bad value [email]'],
    ]);
    expect(scrubErrorFields([[ErrorField.Message, 'relation "t" does not exist']], email)).toBeUndefined();
  });
});
