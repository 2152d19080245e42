import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load-config.ts';

describe('config', () => {
  it('defaults every number to docs/DESIGN.md', () => {
    const config = parseConfig({}, 'x');
    expect(config.tiers.map((t) => [t.id, t.cumulative_share, t.reactivation_days, t.tag])).toEqual([
      ['champion', 0.01, 60, 'ltv:champion'], ['vip', 0.1, 75, 'ltv:vip'], ['high_value', 0.2, 90, 'ltv:high-value'],
      ['mid_tier', 0.8, 120, 'ltv:mid-tier'], ['low_value', 1, 180, 'ltv:low-value'],
    ]);
    expect([config.history_days, config.new_customer_days, config.lapsed_days, config.suppression_days, config.churn.at_risk_threshold, config.guard.max_changed_share]).toEqual([730, 90, 180, 180, 70, 0.3]);
    expect(config.recency_buckets.map((b) => b.max_days)).toEqual([30, 90, 180, null]);
    expect(config.klaviyo.property_prefix).toBe('tiersync_');
  });

  it('names the field and what is allowed for a wrong value', () => {
    expect(() => parseConfig({ history_days: 0 }, 'cfg.json')).toThrow(/cfg\.json: invalid config\n {2}- history_days: must be ≥ 1/);
    expect(() => parseConfig({ tiers: [{ id: 'a', label: 'A', cumulative_share: 0.5, tag: 'a', list: 'A', reactivation_days: 1 }] }, 'c')).toThrow(/tiers: configure 3 to 6 tiers/);
    expect(() => parseConfig({ tags: { suppressed: 'bad,tag' } }, 'c')).toThrow(/tags\.suppressed: must not contain a comma/);
    expect(() => parseConfig({ unknown_key: 1 }, 'c')).toThrow(/unknown_key: unknown setting; valid here: history_days, new_customer_days/);
  });

  it('refuses an unknown key at any depth with its full path and the nearest valid key', () => {
    const message = (json: unknown) => {
      try {
        parseConfig(json, 'cfg.json');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    const tiers = parseConfig({}, 'defaults').tiers.map((tier, index) => (index === 0 ? { ...tier, reactivation_dayz: 30 } : tier));
    expect(message({
      guard: { max_changed_shares: 0.5 },
      strict_vip: { enabeld: true },
      churn: { at_risk_treshold: 80 },
      klaviyo: { property_prefx: 'x_', lists: { supressed: 'S' } },
      tiers,
    })).toBe([
      'cfg.json: invalid config',
      '  - tiers[0].reactivation_dayz: unknown setting; did you mean tiers[0].reactivation_days?',
      '  - strict_vip.enabeld: unknown setting; did you mean strict_vip.enabled?',
      '  - churn.at_risk_treshold: unknown setting; did you mean churn.at_risk_threshold?',
      '  - klaviyo.lists.supressed: unknown setting; did you mean klaviyo.lists.suppressed?',
      '  - klaviyo.property_prefx: unknown setting; did you mean klaviyo.property_prefix?',
      '  - guard.max_changed_shares: unknown setting; did you mean guard.max_changed_share?',
    ].join('\n'));
    expect(message({ recency_buckets: [{ id: 'a', max_days: 10, tag: 'a', colour: 'red' }, { id: 'b', max_days: null, tag: 'b' }] }))
      .toBe('cfg.json: invalid config\n  - recency_buckets[0].colour: unknown setting; valid here: id, max_days, tag');
  });

  it('requires monotonic cumulative shares ending at 1', () => {
    // Custom tiers: the rules that name default tiers (churn, channels) must name these instead.
    const noChannelTierRules = { sms: { only_if_active_tiers: [] }, push: { only_if_active_tiers: [] } };
    const tier = (id: string, share: number) => ({ id, label: id, cumulative_share: share, tag: `t:${id}`, list: id, reactivation_days: 30 });
    expect(() => parseConfig({ tiers: [tier('a', 0.2), tier('b', 0.1), tier('c', 1)], churn: { at_risk_tiers: ['a'], declining_tiers: [] }, channels: noChannelTierRules }, 'c')).toThrow(/tiers\[1\]\.cumulative_share: must be greater than the tier above/);
    expect(() => parseConfig({ tiers: [tier('a', 0.1), tier('b', 0.5), tier('c', 0.9)], churn: { at_risk_tiers: ['a'], declining_tiers: [] }, channels: noChannelTierRules }, 'c')).toThrow(/tiers\[2\]\.cumulative_share: the last tier must reach 1/);
    expect(parseConfig({ tiers: [tier('a', 0.1), tier('b', 0.5), tier('c', 1)], churn: { at_risk_tiers: ['a'], declining_tiers: ['b'] }, channels: noChannelTierRules }, 'c').tiers).toHaveLength(3);
  });

  it('rejects rules that name a tier that does not exist', () => {
    expect(() => parseConfig({ churn: { at_risk_tiers: ['gold'] } }, 'c')).toThrow(/churn\.at_risk_tiers\[0\]: unknown tier "gold"/);
  });

  it('reads a file, treats a missing default file as defaults, and reports bad JSON by file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiersync-config-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ lapsed_days: 200 }));
    expect((await loadConfig(good, { explicit: true })).lapsed_days).toBe(200);
    expect((await loadConfig(join(dir, 'absent.json'))).lapsed_days).toBe(180);
    await expect(loadConfig(join(dir, 'absent.json'), { explicit: true })).rejects.toThrow(/absent\.json: cannot read the config file/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{ "lapsed_days": ');
    await expect(loadConfig(bad)).rejects.toThrow(/bad\.json: not valid JSON/);
  });
});

describe('config/tiersync.json', () => {
  it('is valid and spells out exactly the defaults, so it documents every setting', async () => {
    const file = await loadConfig(join(import.meta.dirname, '../../config/tiersync.json'), { explicit: true });
    expect(file).toEqual(parseConfig({}, 'defaults'));
    // Spelled out: every key is in the file itself, none left to a default.
    const raw: unknown = JSON.parse(await readFile(join(import.meta.dirname, '../../config/tiersync.json'), 'utf8'));
    expect(raw).toEqual(parseConfig({}, 'defaults'));
  });
});

describe('Klaviyo list names', () => {
  it('refuses a name Klaviyo cannot be searched by, naming the field', () => {
    expect(() => parseConfig({ klaviyo: { lists: { suppressed: 'Do "not" mail' } } }, 'c')).toThrow(/klaviyo\.lists\.suppressed: must not contain "/);
    expect(parseConfig({ klaviyo: { lists: { suppressed: null } } }, 'c').klaviyo.lists.suppressed).toBeNull();
  });
});
