import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { channelEligibility } from '../../src/core/channels.ts';

const defaults = parseConfig({}, 'test').channels;

describe('channel eligibility', () => {
  it('keeps low value out of SMS and push unless they ordered in the last 30 days', () => {
    expect(channelEligibility({ tier: 'low_value', daysSinceLast: 29, suppressed: false }, defaults)).toEqual({ email: true, sms: true, push: true, paid_social: true });
    expect(channelEligibility({ tier: 'low_value', daysSinceLast: 30, suppressed: false }, defaults)).toEqual({ email: true, sms: false, push: false, paid_social: true });
    expect(channelEligibility({ tier: 'mid_tier', daysSinceLast: 120, suppressed: false }, defaults)).toEqual({ email: true, sms: true, push: true, paid_social: true });
  });

  it('takes everyone inactive 180 days or more out of paid social, and suppressed customers out of email', () => {
    expect(channelEligibility({ tier: 'champion', daysSinceLast: 179, suppressed: false }, defaults).paid_social).toBe(true);
    expect(channelEligibility({ tier: 'champion', daysSinceLast: 180, suppressed: false }, defaults)).toEqual({ email: true, sms: true, push: true, paid_social: false });
    expect(channelEligibility({ tier: 'mid_tier', daysSinceLast: 200, suppressed: true }, defaults)).toEqual({ email: false, sms: true, push: true, paid_social: false });
  });

  it('is configurable per tier', () => {
    const channels = parseConfig({ channels: { sms: { excluded_tiers: ['new'], only_if_active_tiers: ['low_value', 'mid_tier'], active_days: 60 } } }, 'test').channels;
    expect(channelEligibility({ tier: 'new', daysSinceLast: 1, suppressed: false }, channels).sms).toBe(false);
    expect(channelEligibility({ tier: 'mid_tier', daysSinceLast: 59, suppressed: false }, channels).sms).toBe(true);
    expect(channelEligibility({ tier: 'mid_tier', daysSinceLast: 60, suppressed: false }, channels).sms).toBe(false);
  });

  it('refuses an unknown tier or key, naming the field', () => {
    expect(() => parseConfig({ channels: { push: { only_if_active_tiers: ['gold'] } } }, 'c')).toThrow(/channels\.push\.only_if_active_tiers\[0\]: unknown tier "gold"/);
    expect(() => parseConfig({ channels: { sms: { active: 30 } } }, 'c')).toThrow(/channels\.sms\.active: unknown setting; did you mean channels\.sms\.active_days\?/);
    expect(() => parseConfig({ channels: { fax: {} } }, 'c')).toThrow(/channels\.fax: unknown setting; valid here: email, sms, push, paid_social/);
  });
});
