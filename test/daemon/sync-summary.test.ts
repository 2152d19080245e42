import { describe, expect, it } from 'vitest';
import { parseSyncSummary } from '../../src/daemon/sync-summary.ts';

describe('parseSyncSummary', () => {
  it('reads the last non-empty line as a JSON object', () => {
    expect(parseSyncSummary('noise\n{"run_id":3,"operations":{"tags_add":2}}\n\n')).toEqual({ run_id: 3, operations: { tags_add: 2 } });
  });

  it('gives null for no output, junk, or JSON that is not an object', () => {
    expect(parseSyncSummary('')).toBeNull();
    expect(parseSyncSummary('{"run_id":')).toBeNull();
    expect(parseSyncSummary('[1,2]')).toBeNull();
    expect(parseSyncSummary('42')).toBeNull();
  });
});
