import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import type { RfmSummary } from './rfm-summary.ts';
import { MINOR_UNITS_PER_MODEL_UNIT } from './predict-customers.ts';

/** A per-customer summary file, parsed. */
export interface SummaryCsv {
  summaries: RfmSummary[];
  /** Whether the file had a `zbar` / `monetary_value` column (mean repeat value, major units). */
  hasMonetaryValue: boolean;
}

/** Accepted names of each field (lower-cased), the `lifetimes` and the FHL spellings. */
const COLUMNS = {
  frequency: ['frequency', 'x'],
  recency: ['recency', 't_x'],
  T: ['t'],
  monetary: ['zbar', 'monetary_value'],
  id: ['id', 'customer_id'],
} as const;

const number = (field: string) =>
  z
    .string()
    .trim()
    .refine((text) => text !== '' && Number.isFinite(Number(text)), `${field} must be a number`)
    .transform(Number)
    .refine((value) => value >= 0, `${field} must be ≥ 0`);

const rowSchema = z
  .object({
    frequency: number('frequency').refine(Number.isInteger, 'frequency must be a whole number of repeat purchases'),
    recency: number('recency'),
    T: number('T'),
    monetary: number('zbar').optional(),
  })
  .refine((row) => row.recency <= row.T, { message: 'recency must be ≤ T', path: ['recency'] })
  .refine((row) => row.frequency > 0 || row.recency === 0, {
    message: 'recency must be 0 when frequency is 0',
    path: ['recency'],
  });

/**
 * Parses a per-customer summary CSV: `frequency,recency,T` or `x,t_x,T` (any time unit, the
 * same for every row), optional `zbar`/`monetary_value` (mean value of the repeat purchases, in
 * major units) and optional `ID`/`customer_id`. Header names are matched case-insensitively,
 * except that `T` is the only one-letter time column. A bad row is a UserError naming the
 * source, the line and the field.
 *
 * @example
 * parseSummaryCsv('ID,x,t_x,T,zbar\n1,2,30.43,38.86,22.35\n', 'summary.csv');
 * // { summaries: [{ customerId: '1', frequency: 2, recency: 30.43, T: 38.86, monetaryValueCents: 2235, holdoutPurchases: 0 }], hasMonetaryValue: true }
 */
export function parseSummaryCsv(text: string, source: string): SummaryCsv {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, info: true, relax_column_count: true }) as unknown as typeof records;
  } catch (error) {
    throw new UserError(`${source}: not a readable CSV (${(error as Error).message})`, 1, { cause: error });
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new UserError(`${source}: the file is empty; expected a header frequency,recency,T or x,t_x,T`);
  const names = header.record.map((name) => name.trim().toLowerCase());
  const column = (accepted: readonly string[]) => names.findIndex((name) => accepted.includes(name));
  const positions = {
    frequency: column(COLUMNS.frequency),
    recency: column(COLUMNS.recency),
    T: column(COLUMNS.T),
    monetary: column(COLUMNS.monetary),
    id: column(COLUMNS.id),
  };
  if (positions.frequency < 0 || positions.recency < 0 || positions.T < 0) {
    throw new UserError(
      `${source}: line ${header.info.lines}: the header needs frequency,recency,T (or x,t_x,T); found ${header.record.join(',')}`,
    );
  }
  if (rows.length === 0) throw new UserError(`${source}: no customer rows after the header`);
  const hasMonetaryValue = positions.monetary >= 0;
  const summaries = rows.map(({ record, info }) => {
    const field = (index: number) => (index >= 0 ? (record[index] ?? '') : undefined);
    const parsed = rowSchema.safeParse({
      frequency: field(positions.frequency),
      recency: field(positions.recency),
      T: field(positions.T),
      monetary: field(positions.monetary),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const name = String(issue.path[0] ?? 'row');
      throw new UserError(`${source}: line ${info.lines}: ${name === 'monetary' ? 'zbar' : name}: ${issue.message}`, 1, {
        cause: parsed.error,
      });
    }
    const { frequency, recency, T, monetary } = parsed.data;
    const summary: RfmSummary = {
      customerId: field(positions.id)?.trim() || `line ${info.lines}`,
      frequency,
      recency,
      T,
      monetaryValueCents: frequency > 0 ? (monetary ?? 0) * MINOR_UNITS_PER_MODEL_UNIT : 0,
      holdoutPurchases: 0,
    };
    return summary;
  });
  return { summaries, hasMonetaryValue };
}
