import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type OpenStoreOptions, type Store } from '../../src/store/open-store.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** A store in a fresh temp directory, closed and deleted after the test. */
export function tempStore(options: OpenStoreOptions = {}): { store: Store; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tiersync-store-'));
  const path = join(dir, 'nested', 'shop.db');
  const store = openStore(path, options);
  cleanups.push(() => {
    try {
      store.close();
    } catch {
      // already closed by the test
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, path };
}
