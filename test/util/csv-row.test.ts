import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRow } from '../../src/util/csv-row.ts';

const awkward = ['plain', '', 'with,comma', 'with "quotes"', 'two\nlines', 'carriage\rreturn', 'Zoë Łukasz 山田', ' padded ', '"', ',', '#1001'];

describe('csvRow', () => {
  it('writes exactly what csv-stringify writes with its defaults', () => {
    expect(csvRow(awkward)).toBe(stringify([awkward]));
    expect(csvRow([''])).toBe(stringify([['']]));
    expect(csvRow(['', ''])).toBe(stringify([['', '']]));
  });

  it('parses back to the same fields', () => {
    expect(parse(csvRow(awkward) + csvRow(['a', 'b']), { relax_column_count: true })).toEqual([awkward, ['a', 'b']]);
  });

  it('quotes a field only when it holds a quote, comma or line break', () => {
    expect(csvRow(['a b', 'c,d', 'e"f'])).toBe('a b,"c,d","e""f"\n');
  });
});
