import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { parseSummaryCsv } from '../../src/model/summary-csv.ts';

describe('parseSummaryCsv', () => {
  it('reads the FHL spelling x,t_x,T,zbar with ids, zbar in dollars to cents', () => {
    const parsed = parseSummaryCsv('ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n3,0,0.00,38.86,0.00\n', 's.csv');
    expect(parsed.hasMonetaryValue).toBe(true);
    expect(parsed.summaries).toEqual([
      { customerId: '1', frequency: 2, recency: 30.43, T: 38.86, monetaryValueCents: 22.35 * 100, holdoutPurchases: 0 },
      { customerId: '3', frequency: 0, recency: 0, T: 38.86, monetaryValueCents: 0, holdoutPurchases: 0 },
    ]);
  });

  it('reads the lifetimes spelling frequency,recency,T without ids or spend', () => {
    const parsed = parseSummaryCsv('frequency,recency,T\r\n1,2.5,4\r\n', 's.csv');
    expect(parsed.hasMonetaryValue).toBe(false);
    expect(parsed.summaries).toEqual([
      { customerId: 'line 2', frequency: 1, recency: 2.5, T: 4, monetaryValueCents: 0, holdoutPurchases: 0 },
    ]);
  });

  it.each([
    ['x,t_x,T\n1,2,1\n', /^s\.csv: line 2: recency: recency must be ≤ T$/],
    ['x,t_x,T\n1,1,2\n1.5,0,1\n', /^s\.csv: line 3: frequency: .*whole number/],
    ['x,t_x,T\n0,1,2\n', /line 2: recency: recency must be 0 when frequency is 0/],
    ['x,t_x,T\n1,abc,2\n', /line 2: recency: recency must be a number/],
    ['x,t_x,T\n1,,2\n', /line 2: recency: recency must be a number/],
    ['x,t_x,T,zbar\n1,1,2,-3\n', /line 2: zbar: zbar must be ≥ 0/],
    ['a,b\n1,2\n', /^s\.csv: line 1: the header needs frequency,recency,T/],
    ['', /^s\.csv: the file is empty/],
    ['x,t_x,T\n', /^s\.csv: no customer rows/],
  ])('rejects %j naming the file, line and field', (text, message) => {
    expect(() => parseSummaryCsv(text, 's.csv')).toThrow(UserError);
    expect(() => parseSummaryCsv(text, 's.csv')).toThrow(message);
  });

  const plainTexts = [
    'ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n\n2, 1 ,0x10,1e3,-0\n3,0,0,5,\n',
    '\uFEFFID,x,t_x,T,zbar\r\n1,2,3,4,5\r\n2,0,0,4,0\r\n\r\n',
    'ID,x,t_x,T\n1,2,3,4,extra,,\n2,1,1\n',
    'ID,x,t_x,T\n1,2,3,4\n   \n',
    'ID,x,t_x,T,zbar\n1,-1.5,3,4,5\n',
    'ID,x,t_x,T,zbar\n1,1,3,Infinity,5\n',
    'ID,x,t_x,T,zbar\n1,1,3,4,\n',
    'ID,x,t_x,T\r\n1,2,3,4\n2,2,3,4\r\n',
    'ID,x,t_x,T\r1,2,3,4\r',
  ];

  it.each(plainTexts)('reads a file without quotes exactly as csv-parse does: %j', (text) => {
    // The same file with its header's x quoted goes through csv-parse.
    const quoted = text.replace(',x,', ',"x",');
    const outcome = (input: string) => {
      try {
        return parseSummaryCsv(input, 's.csv');
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(outcome(text)).toEqual(outcome(quoted));
  });

  it('names the first bad field of a row, in column order, with literal messages', () => {
    const message = (row: string) => () => parseSummaryCsv(`x,t_x,T,zbar\n${row}\n`, 's.csv');
    expect(message('-1.5,abc,2,1')).toThrow('s.csv: line 2: frequency: frequency must be ≥ 0');
    expect(message('1,abc,-2,1')).toThrow('s.csv: line 2: recency: recency must be a number');
    expect(message('1,3,2,')).toThrow('s.csv: line 2: zbar: zbar must be a number');
    expect(message('1,3,2,1')).toThrow('s.csv: line 2: recency: recency must be ≤ T');
    expect(parseSummaryCsv('x,t_x,T,zbar\n 2 ,1e1,0x10,-0\n', 's.csv').summaries[0]).toMatchObject({ frequency: 2, recency: 10, T: 16 });
  });
});
