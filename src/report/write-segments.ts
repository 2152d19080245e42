import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { CustomerSegment } from '../core/segment.ts';
import { csvRow } from '../util/csv-row.ts';
import { SEGMENT_COLUMNS, toSegmentRow } from './segment-row.ts';

export type SegmentFormat = 'csv' | 'jsonl';

/**
 * Writes one row per customer as CSV (header first) or JSONL, to a file or stdout, honouring
 * backpressure so a million rows never pile up in memory.
 *
 * @example
 * await writeSegments(segments, 'jsonl', 'segments.jsonl');
 */
export async function writeSegments(segments: readonly CustomerSegment[], format: SegmentFormat, outPath?: string): Promise<void> {
  const out: Writable = outPath ? createWriteStream(outPath) : process.stdout;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const batch: string[] = [];
  const flush = async () => {
    if (batch.length) await write(batch.join(''));
    batch.length = 0;
  };
  if (format === 'csv') await write(csvRow(SEGMENT_COLUMNS));
  for (const segment of segments) {
    const row = toSegmentRow(segment);
    batch.push(format === 'jsonl' ? `${JSON.stringify(row)}\n` : csvRow(SEGMENT_COLUMNS.map((c) => csvCell(row[c]))));
    if (batch.length >= 1000) await flush();
  }
  await flush();
  if (outPath) {
    out.end();
    await once(out, 'finish');
  }
}

function csvCell(value: string | number | boolean | null): string {
  return value === null ? '' : String(value);
}
