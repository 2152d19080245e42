import { open } from 'node:fs/promises';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * One CSV record as byte ranges into the read buffer: field `k` is `buffer[starts[k], ends[k])`,
 * quotes removed from the ends when `quoted[k]` (doubled quotes inside are still doubled).
 * Valid only during the callback: the buffer and the arrays are reused for the next record.
 */
export class ByteRecord {
  buffer: Buffer = Buffer.alloc(0);
  count = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  quoted = new Uint8Array(64);

  /** The record's fields as strings, exactly as the papaparse reader gives them. */
  texts(): string[] {
    const fields = new Array<string>(this.count);
    for (let k = 0; k < this.count; k++) fields[k] = this.text(k);
    return fields;
  }

  /** Field `k` as a string ('' past the last field), doubled quotes of a quoted field undone. */
  text(k: number): string {
    if (k >= this.count) return '';
    const text = this.buffer.toString('utf8', this.starts[k], this.ends[k]);
    return this.quoted[k] ? text.replaceAll('""', '"') : text;
  }

  push(start: number, end: number, quoted: boolean): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
      const flags = new Uint8Array(this.quoted.length * 2);
      flags.set(this.quoted);
      this.quoted = flags;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.quoted[this.count] = quoted ? 1 : 0;
    this.count++;
  }
}

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/** Called per record; `line` is the 1-based line it starts on, as the papaparse reader counts. */
export type ByteRecordSink = (record: ByteRecord, line: number) => void;

/** Where a file stopped being plain RFC 4180 for this scanner: the record to hand to papaparse. */
export interface IrregularAt {
  readonly byte: number;
  readonly line: number;
}

export interface ScanOptions {
  /** Records end with CRLF (papaparse's guess for the file) instead of LF. */
  readonly crlf: boolean;
  /** Bytes per read (default 4 MiB); a record longer than that grows the buffer. */
  readonly readBytes?: number;
}

/**
 * Scans a comma-separated file record by record at the byte level, in 4 MiB reads: no string
 * or array per field, so a 300 MB file costs one buffer. It reads exactly what the papaparse
 * reader (csv-records.ts) reads for well-formed RFC 4180 input (quoted fields, doubled quotes,
 * newlines inside quotes, line numbers). At the first record it cannot read the same way for
 * sure (a closing quote followed by something other than a comma or line end, an unterminated
 * quote, a bare LF in a CRLF file) it stops and returns where, so the caller can let papaparse
 * read the rest; otherwise it returns null.
 */
export async function scanByteRecords(path: string, options: ScanOptions, onRecord: ByteRecordSink): Promise<IrregularAt | null> {
  const file = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(options.readBytes ?? READ_BYTES);
    let filled = 0;
    /** File offset of buffer[0]. */
    let base = 0;
    let line = 1;
    let ended = false;
    const record = new ByteRecord();
    for (;;) {
      if (!ended) {
        if (filled === buffer.length) {
          const bigger = Buffer.allocUnsafe(buffer.length * 2);
          buffer.copy(bigger, 0, 0, filled);
          buffer = bigger;
        }
        const { bytesRead } = await file.read(buffer, filled, buffer.length - filled, base + filled);
        filled += bytesRead;
        ended = bytesRead === 0;
      }
      record.buffer = buffer;
      let position = 0;
      while (position < filled) {
        const scanned = scanRecord(buffer, position, filled, ended, options.crlf, record);
        if (scanned === NEED_MORE) break;
        if (scanned === IRREGULAR) return { byte: base + position, line };
        onRecord(record, line);
        line += 1 + newlinesInQuotes(buffer, record);
        position = scanned;
      }
      if (ended) return null;
      buffer.copy(buffer, 0, position, filled);
      base += position;
      filled -= position;
    }
  } finally {
    await file.close();
  }
}

const READ_BYTES = 4 << 20;
const NEED_MORE = -1;
const IRREGULAR = -2;

/**
 * Reads one record from `from`; returns the offset after its line end, NEED_MORE when the
 * buffer ends inside it (unless the file ended), or IRREGULAR.
 */
function scanRecord(buffer: Buffer, from: number, filled: number, ended: boolean, crlf: boolean, record: ByteRecord): number {
  record.count = 0;
  let i = from;
  for (;;) {
    if (i < filled && buffer[i] === QUOTE) {
      const start = i + 1;
      let j = start;
      for (;;) {
        j = buffer.indexOf(QUOTE, j);
        if (j < 0 || j >= filled) return ended ? IRREGULAR : NEED_MORE;
        if (j + 1 >= filled && !ended) return NEED_MORE;
        if (buffer[j + 1] === QUOTE) {
          j += 2;
          continue;
        }
        break;
      }
      record.push(start, j, true);
      i = j + 1;
      if (i >= filled) return filled;
      const next = buffer[i];
      if (next === COMMA) {
        i++;
        continue;
      }
      if (!crlf && next === LF) return i + 1;
      if (crlf && next === CR) {
        if (i + 1 >= filled) return ended ? IRREGULAR : NEED_MORE;
        if (buffer[i + 1] === LF) return i + 2;
      }
      return IRREGULAR;
    }
    const start = i;
    while (i < filled) {
      const byte = buffer[i]!;
      if (byte === COMMA || byte === LF) break;
      i++;
    }
    if (i >= filled) {
      if (!ended) return NEED_MORE;
      record.push(start, i, false);
      return filled;
    }
    if (buffer[i] === COMMA) {
      record.push(start, i, false);
      i++;
      continue;
    }
    // A line feed ends the record in an LF file; in a CRLF file only after a CR.
    if (!crlf) {
      record.push(start, i, false);
      return i + 1;
    }
    if (i === start || buffer[i - 1] !== CR) return IRREGULAR;
    record.push(start, i - 1, false);
    return i + 1;
  }
}

/** Line feeds inside the record's quoted fields: papaparse's reader counts them as lines. */
function newlinesInQuotes(buffer: Buffer, record: ByteRecord): number {
  let count = 0;
  for (let k = 0; k < record.count; k++) {
    if (!record.quoted[k]) continue;
    for (let i = buffer.indexOf(LF, record.starts[k]); i >= 0 && i < record.ends[k]!; i = buffer.indexOf(LF, i + 1)) count++;
  }
  return count;
}
