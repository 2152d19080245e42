import { Command, CommanderError } from 'commander';
import { ApiError, AuthError, RetriableError } from '../http/errors.ts';
import { redact } from '../http/redact.ts';
import { UserError } from './user-error.ts';
import { registerSegment } from './segment.ts';
import { registerModelFit } from './model-fit.ts';
import { registerGenerate } from './generate.ts';
import { registerSandbox } from './sandbox.ts';
import { registerPlan } from './plan.ts';
import { registerSync } from './sync.ts';
import { registerDemo } from './demo.ts';
import { registerReport } from './report.ts';
import { registerDaemon } from './daemon.ts';

const program = new Command('tiersync')
  .description('Lifetime-value tiers and RFM overlays from Shopify orders, synced to Shopify tags and Klaviyo.')
  .showHelpAfterError()
  .exitOverride();

registerSegment(program);
registerModelFit(program);
registerGenerate(program);
registerSandbox(program);
registerPlan(program);
registerSync(program);
registerDemo(program);
registerReport(program);
registerDaemon(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}

function reportFailure(error: unknown): number {
  // Commander has printed the problem (unknown command or option, missing value): usage error.
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UserError) {
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
  const message = redact(error instanceof Error ? error.message : String(error));
  process.stderr.write(`tiersync: unexpected failure: ${message}\n`);
  if (process.env.TIERSYNC_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 70;
}
