import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../cli/user-error.ts';
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
    .map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
