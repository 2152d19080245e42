import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DESIGN = readFileSync(join(ROOT, 'docs/DESIGN.md'), 'utf8');
const HEADINGS = [...DESIGN.matchAll(/^## (.+)$/gm)].map((match) => match[1]!);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js|sql)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** A file's text with comment line breaks joined, so a cited section may wrap. */
function joined(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8').replace(/\n\s*(?:\*|\/\/|--)?\s*/g, ' ');
}

const FILES = ['src', 'test', 'scripts'].flatMap(sourceFiles);

describe('citations of the design document', () => {
  it('point at docs/DESIGN.md, the repository\'s own', () => {
    const bare = FILES.flatMap((file) => [...joined(file).matchAll(/(?<![\w/])DESIGN\.md/g)].map(() => file));
    expect(bare).toEqual([]);
  });

  it('name sections that exist', () => {
    const missing: string[] = [];
    for (const file of FILES) {
      for (const citation of joined(file).matchAll(/docs\/DESIGN\.md((?:,? "[^"]+")+)/g)) {
        for (const [, section] of citation[1]!.matchAll(/"([^"]+)"/g)) {
          if (!HEADINGS.some((heading) => heading.startsWith(section!))) missing.push(`${file}: "${section}"`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(FILES.length).toBeGreaterThan(100);
  });
});

describe('docs/DESIGN.md', () => {
  it('names only files and folders that exist (its stage table follows the code)', () => {
    const named = [...new Set([...DESIGN.matchAll(/`((?:src|test|scripts|schemas|docs|config)\/[^`\s]*)`/g)].map((match) => match[1]!))];
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
