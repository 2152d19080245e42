import { Command, CommanderError } from 'commander';
import { UserError } from './user-error.ts';
import { registerSegment } from './segment.ts';
import { registerModelFit } from './model-fit.ts';
import { registerGenerate } from './generate.ts';
import { registerSandbox } from './sandbox.ts';

const program = new Command('tiersync')
  .description('Lifetime-value tiers and RFM overlays from Shopify orders, synced to Shopify tags and Klaviyo.')
  .showHelpAfterError()
  .exitOverride();

registerSegment(program);
registerModelFit(program);
registerGenerate(program);
registerSandbox(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error);
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof UserError) {
    process.stderr.write(`tiersync: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`tiersync: unexpected failure: ${message}\n`);
  if (process.env.TIERSYNC_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
  return 70;
}
