/**
 * An error the user can fix (bad input, bad config, missing credentials). The CLI prints its
 * message alone, without a stack trace, and exits non-zero.
 *
 * @example
 * throw new UserError(`config/tiersync.json: tiers[2].share must be ≤ 1 (got 1.5)`);
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
