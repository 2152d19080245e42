import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../src/sandbox/faults.ts';
import { API_KEY, REVISION, startHarness, type Harness } from './harness.ts';

describe('Klaviyo sandbox: fault injection', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  it('answers 500 or 503 in Klaviyo error format for 5xx faults, and the sandbox endpoints stay fault-free', async () => {
    harness = await startHarness({ faults: parseFaultSpec('5xx=1') }, { stepMs: 1000 });
    const statuses = new Set<number>();
    for (let call = 0; call < 12; call += 1) {
      const result = await harness.call('get_lists', 'GET', '/api/lists');
      expect([500, 503]).toContain(result.status);
      expect(result.json.errors[0].status).toBe(result.status);
      statuses.add(result.status);
    }
    expect([...statuses].sort()).toEqual([500, 503]);
    const stats = await fetch(`${harness.base}/__sandbox/stats`);
    expect(stats.status).toBe(200);
    const body = await stats.json();
    expect(body.faults['5xx']).toBe(12);
    expect(body.requests.get_lists['500'] + body.requests.get_lists['503']).toBe(12);
  });

  it('answers 429 with Retry-After for injected throttling, before authentication, scaled by the time scale', async () => {
    harness = await startHarness({ faults: parseFaultSpec('429=1') });
    const result = await harness.call('get_lists', 'GET', '/api/lists', { omit: ['authorization'] });
    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('1');
    expect(result.json.errors[0].code).toBe('throttled');
    await harness.close();
    harness = await startHarness({ faults: parseFaultSpec('429=1'), timeScale: 50 });
    expect((await harness.call('get_lists', 'GET', '/api/lists')).headers.get('retry-after')).toBe('0.02');
  });

  it('destroys the connection for reset faults', async () => {
    harness = await startHarness({ faults: parseFaultSpec('reset=1') });
    await expect(fetch(`${harness.base}/api/lists`, { headers: { Authorization: `Klaviyo-API-Key ${API_KEY}`, revision: REVISION } })).rejects.toThrow();
    expect(harness.sandbox.stats().faults.reset).toBe(1);
  });

  it('waits the slow delay through the injected sleep, then answers normally', async () => {
    const slept: number[] = [];
    harness = await startHarness({ faults: parseFaultSpec('slow=1:2500ms'), sleep: async (ms) => void slept.push(ms) });
    const result = await harness.call('get_lists', 'GET', '/api/lists');
    expect(result.status).toBe(200);
    expect(slept).toEqual([2500]);
  });

  it('draws the same faults for the same seed', async () => {
    const kinds = async (seed: number): Promise<number[]> => {
      const run = await startHarness({ seed, faults: parseFaultSpec('5xx=0.3,429=0.3') }, { stepMs: 1000 });
      const statuses: number[] = [];
      for (let call = 0; call < 20; call += 1) statuses.push((await run.call('get_lists', 'GET', '/api/lists')).status);
      await run.close();
      return statuses;
    };
    const first = await kinds(3);
    expect(await kinds(3)).toEqual(first);
    expect(first.some((status) => status === 200)).toBe(true);
    expect(first.some((status) => status === 429)).toBe(true);
    expect(first.some((status) => status >= 500)).toBe(true);
    harness = await startHarness();
  });
});
