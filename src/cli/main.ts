import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ApiError, AuthError, InternalError, InterruptedError, RetriableError, StoreError, UserError } from '../errors.ts';
import { redact } from '../http/redact.ts';

const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

const program = new Command('tiersync')
  .description('Lifetime-value tiers and RFM overlays from Shopify orders, synced to Shopify tags and Klaviyo.')
  .version(version, '-V, --version', 'print the tiersync version')
  .showHelpAfterError()
  .exitOverride();

/**
 * Each command's module, imported only when that command runs (all of them for help or an
 * unknown command): importing every one, the Shopify and Klaviyo SDKs among them, cost 1.7 s
 * of CPU before `segment` read a byte.
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  segment: async () => (await import('./segment.ts')).registerSegment,
  model: async () => (await import('./model-fit.ts')).registerModelFit,
  generate: async () => (await import('./generate.ts')).registerGenerate,
  sandbox: async () => (await import('./sandbox.ts')).registerSandbox,
  plan: async () => (await import('./plan.ts')).registerPlan,
  sync: async () => (await import('./sync.ts')).registerSync,
  demo: async () => (await import('./demo.ts')).registerDemo,
  report: async () => (await import('./report.ts')).registerReport,
  playbook: async () => (await import('./playbook.ts')).registerPlaybook,
  daemon: async () => (await import('./daemon.ts')).registerDaemon,
  lift: async () => (await import('./lift.ts')).registerLift,
  doctor: async () => (await import('./doctor.ts')).registerDoctor,
};
const named = Object.hasOwn(COMMANDS, process.argv[2] ?? '') ? COMMANDS[process.argv[2]!] : undefined;
for (const load of named ? [named] : Object.values(COMMANDS)) (await load())(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}

function reportFailure(error: unknown): number {
  // Commander has printed the problem (unknown command or option, missing value): usage error.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  // A clean stop (SIGINT/SIGTERM) is said plainly, as a mistake the user can fix is: one line.
  if (error instanceof InterruptedError || error instanceof UserError) {
    process.stderr.write(`tiersync: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ApiError) {
    // Messages of the API error tree name the service, operation and request; tokens are redacted.
    process.stderr.write(`tiersync: ${redact(error.message)}\n`);
    if (error instanceof AuthError) process.stderr.write('tiersync: check the credentials in .env (see .env.example)\n');
    else if (error instanceof RetriableError) {
      const address = error.service === 'shopify' ? 'SHOPIFY_SHOP / TIERSYNC_SHOPIFY_URL' : 'TIERSYNC_KLAVIYO_URL';
      process.stderr.write(
        `tiersync: ${error.service} did not answer after several retries: check ${address} and the network. ` +
          'Writes that landed are in the journal; the next sync resumes from there.\n',
      );
    }
    return 1;
  }
  if (error instanceof StoreError) {
    process.stderr.write(`tiersync: ${redact(error.message)}\n`);
    process.stderr.write(
      `tiersync: check that ${error.path} is a tiersync store in a writable directory, not held by another program (--store PATH picks another file)\n`,
    );
    return 1;
  }
  const message = redact(error instanceof Error ? error.message : String(error));
  // InternalError and anything untyped: a bug, reported with what helps us find it.
  const kind = error instanceof InternalError ? 'internal error' : 'unexpected failure';
  process.stderr.write(`tiersync: ${kind}: ${message}\n`);
  process.stderr.write('tiersync: this is a bug in tiersync; please report it with the command you ran (TIERSYNC_DEBUG=1 prints the stack)\n');
  if (process.env.TIERSYNC_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 70;
}
