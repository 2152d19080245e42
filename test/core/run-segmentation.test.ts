import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { createSegmentationRun } from '../../src/core/run-segmentation.ts';
import { readOrders } from '../../src/ingest/read-orders.ts';
import { predictInWorker } from '../../src/model/predict-in-worker.ts';

const cdnowSample = join(import.meta.dirname, '../fixtures/cdnow/orders_sample.csv');

describe('segmentation run', () => {
  it('fits the model on CDNOW and fills predicted CLV and P(alive) for every customer', async () => {
    const run = createSegmentationRun(parseConfig({}, 't'), new Date('1997-09-30T00:00:00Z'));
    await readOrders(cdnowSample, run.add);
    const { segments, model, counts } = run.finish();
    expect(model?.status).toBe('fitted');
    expect(model?.bgnbd?.params.r).toBeCloseTo(0.243, 2);
    expect(segments).toHaveLength(2357);
    expect(counts.afterAsOf).toBe(1959);
    expect(segments.every((s) => s.pAlive !== null && s.pAlive > 0 && s.pAlive <= 1 && Number.isInteger(s.predictedClvCents))).toBe(true);
  });

  it('gives the same segments and fits with the model on a second thread, segmenting meanwhile or after it', async () => {
    const asOf = new Date('1997-09-30T00:00:00Z');
    for (const config of [parseConfig({}, 't'), parseConfig({ ltv: { model: 'predictive' }, churn: { model: 'bgnbd' } }, 't')]) {
      const here = createSegmentationRun(config, asOf);
      const threaded = createSegmentationRun(config, asOf);
      await readOrders(cdnowSample, (order) => {
        here.add(order);
        threaded.add(order);
      });
      const expected = here.finishColumns();
      const actual = await threaded.finishColumnsWith(predictInWorker);
      expect(actual.model).toEqual(expected.model);
      expect([...actual.segments]).toEqual([...expected.segments]);
      expect(actual.segments.at(0).predictedClvCents).toBe(expected.segments.at(0).predictedClvCents);
    }
  });

  it('skips the model when predictions are off and nothing needs them', async () => {
    const run = createSegmentationRun(parseConfig({ predictions: { enabled: false } }, 't'), new Date('1997-09-30T00:00:00Z'));
    await readOrders(cdnowSample, run.add);
    const { segments, model } = run.finish();
    expect(model).toBeNull();
    expect(segments.every((s) => s.pAlive === null && s.predictedClvCents === null)).toBe(true);
  });
});
