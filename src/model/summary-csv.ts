import { parse } from 'csv-parse/sync';
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
  const records = readRecords(text, source);
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
    const row = checkRow(field(positions.frequency)!, field(positions.recency)!, field(positions.T)!, field(positions.monetary));
    if (typeof row === 'string') throw new UserError(`${source}: line ${info.lines}: ${row}`);
    const summary: RfmSummary = {
      customerId: field(positions.id)?.trim() || `line ${info.lines}`,
      frequency: row.frequency,
      recency: row.recency,
      T: row.T,
      monetaryValueCents: row.frequency > 0 ? (row.monetary ?? 0) * MINOR_UNITS_PER_MODEL_UNIT : 0,
      holdoutPurchases: 0,
    };
    return summary;
  });
  return { summaries, hasMonetaryValue };
}

interface CsvRecord {
  record: string[];
  /** The line the record ends on (1-based), as csv-parse counts. */
  info: { lines: number };
}

/**
 * The file's records. A file without quotes and with one kind of line end (nearly every
 * summary: numbers and ids) is split on line ends and commas, which is what csv-parse reads
 * for it in a tenth of the time; any other file goes through csv-parse.
 */
function readRecords(text: string, source: string): CsvRecord[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineEnd = body.includes('"') ? null : lineEndOf(body);
  if (lineEnd !== null) {
    const records: CsvRecord[] = [];
    body.split(lineEnd).forEach((line, index) => {
      if (line !== '') records.push({ record: line.split(','), info: { lines: index + 1 } });
    });
    return records;
  }
  try {
    return parse(text, { bom: true, skip_empty_lines: true, info: true, relax_column_count: true }) as unknown as CsvRecord[];
  } catch (error) {
    throw new UserError(`${source}: not a readable CSV (${(error as Error).message})`, 1, { cause: error });
  }
}

/** LF or CRLF when every line ends the same way; null for a mix or a lone CR. */
function lineEndOf(text: string): '\n' | '\r\n' | null {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  let cr = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) cr++;
  if (cr === 0) return '\n';
  return lf === 0 && cr === crlf ? '\r\n' : null;
}

interface SummaryRow {
  frequency: number;
  recency: number;
  T: number;
  monetary: number | undefined;
}

/**
 * Checks one row field by field in column order, and returns the first problem as
 * `field: message` (zbar for the monetary column), or the row's numbers.
 */
function checkRow(frequencyText: string, recencyText: string, tText: string, monetaryText: string | undefined): SummaryRow | string {
  const frequency = nonNegative(frequencyText, 'frequency');
  if (typeof frequency === 'string') return frequency;
  if (!Number.isInteger(frequency)) return 'frequency: frequency must be a whole number of repeat purchases';
  const recency = nonNegative(recencyText, 'recency');
  if (typeof recency === 'string') return recency;
  const T = nonNegative(tText, 'T');
  if (typeof T === 'string') return T;
  const monetary = monetaryText === undefined ? undefined : nonNegative(monetaryText, 'zbar');
  if (typeof monetary === 'string') return monetary;
  if (!(recency <= T)) return 'recency: recency must be ≤ T';
  if (frequency === 0 && recency !== 0) return 'recency: recency must be 0 when frequency is 0';
  return { frequency, recency, T, monetary };
}

/** A trimmed decimal text as a number ≥ 0, or `field: message`. */
function nonNegative(text: string, field: string): number | string {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return `${field}: ${field} must be a number`;
  if (!(value >= 0)) return `${field}: ${field} must be ≥ 0`;
  return value;
}
