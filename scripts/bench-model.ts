/**
 * Predictive-model benchmark: fits BG/NBD and Gamma-Gamma to 500,000 synthetic customer
 * summaries drawn from the models themselves (seeded, so every run fits the same data) and
 * reports the fit times, iterations and the recovered parameters beside the true ones.
 * Run alone: `node --import tsx scripts/bench-model.ts [customers=500000]`.
 */
import { pathToFileURL } from 'node:url';
import { fitBgNbd } from '../src/model/bgnbd.ts';
import { bgnbdExpectedPurchases, bgnbdProbabilityAlive } from '../src/model/bgnbd-predict.ts';
import { fitGammaGamma } from '../src/model/gamma-gamma.ts';
import { HORIZON_DAYS } from '../src/model/predict-customers.ts';
import type { RfmSummary } from '../src/model/rfm-summary.ts';
import { seededRandom } from '../src/util/seeded-random.ts';

const BENCH_SEED = 20_260_702;
/** Parameters the synthetic customers are drawn from (days; dollars). */
const TRUE_BGNBD = { r: 0.25, alpha: 30, a: 0.8, b: 2.5 };
const TRUE_GAMMA_GAMMA = { p: 6, q: 3.8, v: 15 };
/** First purchases spread uniformly over the last two years (the history window). */
const HISTORY_DAYS = 730;

/**
 * Generates the customers and times the fits and the per-customer predictions.
 *
 * @example
 * const { bgnbd_fit_ms, bgnbd_iterations } = await benchModel();
 */
export async function benchModel(customers = 500_000): Promise<Record<string, number | string>> {
  const generateStart = performance.now();
  const summaries = generateSummaries(customers, seededRandom(BENCH_SEED));
  const generateMs = performance.now() - generateStart;

  const bgnbdStart = performance.now();
  const bgnbd = fitBgNbd(summaries);
  const bgnbdMs = performance.now() - bgnbdStart;

  const ggStart = performance.now();
  const gammaGamma = fitGammaGamma(
    summaries.map((s) => ({ frequency: s.frequency, monetaryValue: s.monetaryValueCents / 100 })),
  );
  const ggMs = performance.now() - ggStart;

  const predictStart = performance.now();
  let expectedOrders = 0;
  let alive = 0;
  for (const summary of summaries) {
    expectedOrders += bgnbdExpectedPurchases(bgnbd.params, HORIZON_DAYS, summary);
    alive += bgnbdProbabilityAlive(bgnbd.params, summary);
  }
  const predictMs = performance.now() - predictStart;

  const round = (value: number, digits = 4) => Number(value.toPrecision(digits));
  return {
    customers,
    repeat_customers: bgnbd.customers - summaries.filter((s) => s.frequency === 0).length,
    generate_ms: Math.round(generateMs),
    bgnbd_distinct_rows: bgnbd.distinctRows,
    bgnbd_fit_ms: Math.round(bgnbdMs),
    bgnbd_iterations: bgnbd.iterations,
    bgnbd_evaluations: bgnbd.evaluations,
    bgnbd_converged: String(bgnbd.converged),
    bgnbd_params: `r=${round(bgnbd.params.r)} alpha=${round(bgnbd.params.alpha)} a=${round(bgnbd.params.a)} b=${round(bgnbd.params.b)}`,
    bgnbd_true_params: `r=${TRUE_BGNBD.r} alpha=${TRUE_BGNBD.alpha} a=${TRUE_BGNBD.a} b=${TRUE_BGNBD.b}`,
    gamma_gamma_customers: gammaGamma.customers,
    gamma_gamma_fit_ms: Math.round(ggMs),
    gamma_gamma_iterations: gammaGamma.iterations,
    gamma_gamma_converged: String(gammaGamma.converged),
    gamma_gamma_params: `p=${round(gammaGamma.params.p)} q=${round(gammaGamma.params.q)} v=${round(gammaGamma.params.v)}`,
    gamma_gamma_true_params: `p=${TRUE_GAMMA_GAMMA.p} q=${TRUE_GAMMA_GAMMA.q} v=${TRUE_GAMMA_GAMMA.v}`,
    predict_ms: Math.round(predictMs),
    expected_orders_365_total: Math.round(expectedOrders),
    mean_p_alive: round(alive / customers),
  };
}

/**
 * Customers drawn from BG/NBD (λ ~ Gamma(r, alpha), p ~ Beta(a, b); a purchase at day 0, then
 * Poisson purchases, each followed by drop-out with probability p) and Gamma-Gamma spend
 * (ν ~ Gamma(q, v), each repeat purchase ~ Gamma(p, ν) dollars, rounded to cents), in days.
 * Purchases are counted by distinct day, as `summarizeOrders` does.
 */
function generateSummaries(count: number, random: () => number): RfmSummary[] {
  const gamma = createGammaSampler(random);
  const summaries: RfmSummary[] = [];
  for (let i = 0; i < count; i++) {
    const T = Math.floor(random() * (HISTORY_DAYS + 1));
    const lambda = gamma(TRUE_BGNBD.r) / TRUE_BGNBD.alpha;
    const aDraw = gamma(TRUE_BGNBD.a);
    const dropout = aDraw / (aDraw + gamma(TRUE_BGNBD.b));
    const spendRate = gamma(TRUE_GAMMA_GAMMA.q) / TRUE_GAMMA_GAMMA.v;
    const days = new Map<number, number>();
    let time = 0;
    while (true) {
      time += -Math.log(1 - random()) / lambda;
      if (!(time <= T)) break;
      const day = Math.floor(time);
      const cents = Math.round((100 * gamma(TRUE_GAMMA_GAMMA.p)) / spendRate);
      if (day > 0) days.set(day, (days.get(day) ?? 0) + cents);
      if (random() < dropout) break;
    }
    let recency = 0;
    let total = 0;
    for (const [day, cents] of days) {
      recency = Math.max(recency, day);
      total += cents;
    }
    summaries.push({
      customerId: String(i),
      frequency: days.size,
      recency,
      T,
      monetaryValueCents: days.size > 0 ? total / days.size : 0,
      holdoutPurchases: 0,
    });
  }
  return summaries;
}

/** Gamma(shape, 1) draws by Marsaglia & Tsang (2000), with the shape < 1 boost; normals by Box-Muller. */
function createGammaSampler(random: () => number): (shape: number) => number {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const sample = (shape: number): number => {
    if (shape < 1) return sample(shape + 1) * Math.pow(1 - random(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    while (true) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(1 - random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return sample;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const customers = process.argv[2] ? Number(process.argv[2]) : undefined;
  console.log(await benchModel(customers));
}
