import type { Config } from '../config/schema.ts';

export const CHANNELS = ['email', 'sms', 'push', 'paid_social'] as const;
export type Channel = (typeof CHANNELS)[number];
export type ChannelEligibility = Record<Channel, boolean>;

/** What a channel rule needs to know about a customer. */
export interface ChannelInput {
  readonly tier: string;
  readonly daysSinceLast: number;
  readonly suppressed: boolean;
}

/**
 * Which costly channels a customer may be reached on (seed 000 mistake 8; docs/DESIGN.md
 * "Activation"). Per channel, a customer is out when their tier is excluded, when their tier
 * is one of `only_if_active_tiers` and they did not order in the last `active_days` days
 * (age < N, as docs/DESIGN.md "Order facts" reads "in the last N days"), when they have been
 * inactive `inactive_cutoff_days` days or more, or when suppressed and the channel excludes
 * suppressed customers. Defaults: low value out of SMS and push unless active in 30 days,
 * everyone inactive 180+ days out of paid social, suppressed customers out of email broadcasts.
 *
 * @example
 * channelEligibility({ tier: 'low_value', daysSinceLast: 40, suppressed: false }, config.channels);
 * // { email: true, sms: false, push: false, paid_social: true }
 */
export function channelEligibility(customer: ChannelInput, rules: Config['channels']): ChannelEligibility {
  const eligible = (channel: Channel): boolean => {
    const rule = rules[channel];
    if (rule.excluded_tiers.includes(customer.tier)) return false;
    if (rule.only_if_active_tiers.includes(customer.tier) && customer.daysSinceLast >= rule.active_days) return false;
    if (rule.inactive_cutoff_days !== null && customer.daysSinceLast >= rule.inactive_cutoff_days) return false;
    if (rule.exclude_suppressed && customer.suppressed) return false;
    return true;
  };
  return { email: eligible('email'), sms: eligible('sms'), push: eligible('push'), paid_social: eligible('paid_social') };
}
