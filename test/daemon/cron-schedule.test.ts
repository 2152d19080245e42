import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { validateCron } from '../../src/daemon/cron-schedule.ts';

describe('validateCron', () => {
  it('accepts 5-field, 6-field (seconds) and nickname schedules', () => {
    expect(() => validateCron({ expression: '0 3 * * *' })).not.toThrow();
    expect(() => validateCron({ expression: '*/10 * * * * *' })).not.toThrow();
    expect(() => validateCron({ expression: '@daily', timezone: 'Europe/Paris' })).not.toThrow();
  });

  it('rejects a malformed expression, a one-off date and an unknown time zone, naming them', () => {
    const failure = (expression: string, timezone?: string) => {
      try {
        validateCron({ expression, ...(timezone ? { timezone } : {}) });
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${expression}`);
    };
    expect(failure('61 * * * *')).toMatch(/^--cron "61 \* \* \* \*": .*minute/);
    expect(failure('0 3 * *')).toMatch(/^--cron "0 3 \* \*": /);
    expect(failure('0 0 3 * * * 2027')).toMatch(/5 or 6 parts/);
    expect(failure('2030-01-01T00:00:00')).toContain('does not repeat');
    expect(failure('0 3 * * *', 'Mars/Olympus')).toMatch(/^--cron "0 3 \* \* \*" \(time zone Mars\/Olympus\): /);
  });
});
