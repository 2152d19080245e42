import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface CsvRecord {
  readonly fields: string[];
  /** 1-based line where the record starts. */
  readonly line: number;
}

/**
 * Streams a CSV file record by record with csv-parse (quoted fields, embedded newlines, BOM),
 * header included as the first record.
 *
 * @example
 * for await (const { fields, line } of csvRecords('orders.csv')) console.log(line, fields);
 */
export async function* csvRecords(path: string): AsyncGenerator<CsvRecord> {
  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { fields: record, line: info.lines };
  }
}

/** Maps lower-cased, trimmed header names to their column index. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  return new Map(header.map((name, index) => [name.trim().toLowerCase(), index]));
}
