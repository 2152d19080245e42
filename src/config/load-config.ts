import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { nearestWord } from '../util/nearest-word.ts';
import { configSchema, type Config } from './schema.ts';

export const DEFAULT_CONFIG_PATH = 'config/tiersync.json';

/**
 * Reads and validates a config file. A missing default file means "all defaults"; a missing
 * explicit file, bad JSON or a wrong value is a UserError naming the file and field.
 *
 * @example
 * const config = await loadConfig('config/tiersync.json');
 */
export async function loadConfig(path: string = DEFAULT_CONFIG_PATH, { explicit = false } = {}): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) return parseConfig({}, path);
    throw new UserError(`${path}: cannot read the config file (${(error as Error).message})`, 1, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message})`, 1, { cause: error });
  }
  return parseConfig(json, path);
}

/** Validates a parsed config object; `source` names it in errors. */
export function parseConfig(json: unknown, source: string): Config {
  const result = configSchema.safeParse(json);
  if (result.success) return result.data;
  throw new UserError(`${source}: invalid config\n${formatIssues(result.error)}`);
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) => {
      if (issue.code !== 'unrecognized_keys') return [`  - ${formatPath(issue.path) || '(root)'}: ${issue.message}`];
      const valid = settingsAt(configSchema, issue.path);
      return issue.keys.map((key) => {
        const nearest = nearestWord(key, valid);
        const path = formatPath([...issue.path, key]);
        return `  - ${path}: unknown setting; ${nearest ? `did you mean ${formatPath([...issue.path, nearest])}?` : `valid here: ${valid.join(', ')}`}`;
      });
    })
    .join('\n');
}

/** `tiers[0].reactivation_days`: the path as the user writes it about their JSON file. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`)).join('');
}

/** The keys the schema accepts at `path` (array indexes step into the element). */
function settingsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.ZodType = schema;
  for (let step = 0; ; ) {
    if (node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodNullable || node instanceof z.ZodOptional) {
      node = node.unwrap() as z.ZodType;
    } else if (node instanceof z.ZodArray) {
      node = node.element as z.ZodType;
      step++;
    } else if (node instanceof z.ZodObject) {
      if (step === path.length) return Object.keys(node.shape);
      node = node.shape[String(path[step++])] as z.ZodType;
    } else {
      return [];
    }
  }
}
