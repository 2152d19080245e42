import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { createAsOfCheck } from '../core/as-of-check.ts';
import { configSchema } from '../config/schema.ts';
import { readOrders } from '../ingest/read-orders.ts';
import { openRejectsFile } from '../ingest/rejects-file.ts';
import { formatSkipped } from '../report/skipped-text.ts';
import { bgnbdExpectedPurchases } from '../model/bgnbd-predict.ts';
import { fitModels, type ModelFits } from '../model/predict-customers.ts';
import { createOrderSummarizer, DAYS_PER_UNIT, type RfmSummary, type TimeUnit } from '../model/rfm-summary.ts';
import { parseSummaryCsv } from '../model/summary-csv.ts';
import { DAY_MS } from '../core/order.ts';
import { isoDate } from './option-types.ts';
import { parseOptions } from './parse-options.ts';
import { UserError } from '../errors.ts';

const optionsSchema = z
  .object({
    orders: z.string().min(1).optional(),
    asOf: isoDate('--as-of').optional(),
    summary: z.string().min(1).optional(),
    timeUnit: z.enum(['week', 'day']).default('week'),
    holdoutEnd: isoDate('--holdout-end').optional(),
    json: z.boolean().default(false),
    rejects: z.string().min(1).optional(),
  })
  .superRefine((options, ctx) => {
    if ((options.orders === undefined) === (options.summary === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['orders'], message: 'give either --orders FILE --as-of DATE or --summary FILE' });
    }
    if (options.orders !== undefined && options.asOf === undefined) {
      ctx.addIssue({ code: 'custom', path: ['asOf'], message: 'required with --orders' });
    }
    if (options.summary !== undefined && (options.asOf !== undefined || options.holdoutEnd !== undefined || options.rejects !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['summary'], message: '--as-of, --holdout-end and --rejects need --orders, not --summary' });
    }
    if (options.asOf && options.holdoutEnd && options.holdoutEnd <= options.asOf) {
      ctx.addIssue({ code: 'custom', path: ['holdoutEnd'], message: 'must be after --as-of' });
    }
  });

type ModelFitOptions = z.output<typeof optionsSchema>;

/** The default LTV window, which the as-of warning checks (model fit takes no config). */
const LTV_WINDOW_DAYS = configSchema.parse({}).history_days;

/** `tiersync model fit (--orders FILE --as-of DATE [--rejects FILE] | --summary FILE) [--time-unit week|day] [--holdout-end DATE] [--json]` */
export function registerModelFit(program: Command): void {
  const model = program.command('model').description('predictive CLV and churn models (BG/NBD and Gamma-Gamma)');
  model
    .command('fit')
    .description('fit BG/NBD and Gamma-Gamma and print the parameters, log-likelihoods and convergence')
    .option('--orders <file>', 'orders: Shopify bulk JSONL, Shopify "Export orders" CSV, or a CSV with customer_id,processed_at,total')
    .option('--as-of <iso-date>', 'end of the calibration period (with --orders)')
    .option('--summary <file>', 'per-customer CSV with frequency,recency,T (or x,t_x,T) and optional zbar')
    .option('--time-unit <unit>', 'time unit of recency, T and alpha: week or day', 'week')
    .option('--holdout-end <iso-date>', 'with --orders: compare predicted and actual repeat purchases in (as-of, holdout-end]')
    .option('--rejects <file>', 'with --orders: write every skipped input row here as CSV (line, kind, reason, raw)')
    .option('--json', 'print JSON instead of text')
    .action(async (raw: unknown) => {
      const options = parseOptions(optionsSchema, raw);
      const report = await runModelFit(options);
      // The as-of warning goes to stderr, as for segment and report (stdout may be JSON).
      for (const warning of report.warnings.filter((w) => w.startsWith('warning: '))) process.stderr.write(`${warning}\n`);
      process.stdout.write(options.json ? `${JSON.stringify(report, finiteOrNull, 2)}\n` : formatReport(report));
    });
}

interface HoldoutReport {
  as_of: string;
  end: string;
  periods: number;
  predicted: number;
  actual: number;
}

interface ModelFitReport {
  status: ModelFits['status'];
  warnings: string[];
  source: string;
  time_unit: TimeUnit;
  customers: number;
  repeat_customers: number;
  bgnbd: { r: number; alpha: number; a: number; b: number; log_likelihood: number; converged: boolean; iterations: number } | null;
  gamma_gamma: { p: number; q: number; v: number; log_likelihood: number; converged: boolean; iterations: number; customers: number } | null;
  holdout: HoldoutReport | null;
}

async function runModelFit(options: ModelFitOptions): Promise<ModelFitReport> {
  const timeUnit = options.timeUnit;
  let summaries: RfmSummary[];
  const warnings: string[] = [];
  let skipGammaGamma = false;
  if (options.summary !== undefined) {
    const parsed = parseSummaryCsv(await readText(options.summary), options.summary);
    summaries = parsed.summaries;
    skipGammaGamma = !parsed.hasMonetaryValue;
    if (skipGammaGamma) warnings.push(`${options.summary} has no zbar column`);
  } else {
    const summarizer = createOrderSummarizer(options.asOf!, { timeUnit, holdoutEnd: options.holdoutEnd });
    const asOfCheck = createAsOfCheck(options.asOf!, LTV_WINDOW_DAYS);
    const rejects = options.rejects ? openRejectsFile(options.rejects) : null;
    const read = await readOrders(
      options.orders!,
      (order) => {
        asOfCheck.add(order);
        summarizer.add(order);
      },
      rejects ? { onReject: rejects.write } : {},
    ).finally(() => rejects?.close());
    summaries = summarizer.finish();
    const asOfWarning = asOfCheck.warning();
    if (asOfWarning) warnings.push(asOfWarning);
    if (read.skippedCount) warnings.push(`${options.orders}: ${formatSkipped(read, options.rejects)}`);
  }
  const fits = fitModels(summaries, { timeUnit, skipGammaGamma });
  const bgnbd = fits.bgnbd;
  const gammaGamma = fits.gammaGamma;
  let holdout: HoldoutReport | null = null;
  if (options.holdoutEnd !== undefined && options.asOf !== undefined) {
    if (bgnbd !== undefined && bgnbd.problems.length === 0) {
      const periods = (options.holdoutEnd.getTime() - options.asOf.getTime()) / (DAYS_PER_UNIT[timeUnit] * DAY_MS);
      let predicted = 0;
      let actual = 0;
      for (const summary of summaries) {
        predicted += bgnbdExpectedPurchases(bgnbd.params, periods, summary);
        actual += summary.holdoutPurchases;
      }
      holdout = { as_of: options.asOf.toISOString(), end: options.holdoutEnd.toISOString(), periods, predicted, actual };
    } else {
      warnings.push('holdout check skipped: no usable BG/NBD fit');
    }
  }
  return {
    status: fits.status,
    warnings: [...fits.warnings, ...warnings],
    source: options.summary ?? options.orders!,
    time_unit: timeUnit,
    customers: fits.customers,
    repeat_customers: fits.repeatCustomers,
    bgnbd: bgnbd
      ? { ...bgnbd.params, log_likelihood: bgnbd.logLikelihood, converged: bgnbd.converged, iterations: bgnbd.iterations }
      : null,
    gamma_gamma: gammaGamma
      ? {
          ...gammaGamma.params,
          log_likelihood: gammaGamma.logLikelihood,
          converged: gammaGamma.converged,
          iterations: gammaGamma.iterations,
          customers: gammaGamma.customers,
        }
      : null,
    holdout,
  };
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UserError(`${path}: cannot read the summary file (${code})`, 1, { cause: error });
  }
}

/** JSON replacer: a non-finite number (only possible in a failed fit) is written as null. */
function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/**
 * Gamma-Gamma fits the repeat customers whose repeat purchases have a positive mean value;
 * those whose repeats were refunded to zero are left out, so the count can be lower than the
 * "with a repeat purchase" of the first line, and the line says why.
 */
function spenders(fitted: number, repeatCustomers: number): string {
  if (fitted === repeatCustomers) return `the ${fitted} repeat customers`;
  return `${fitted} of the ${repeatCustomers} repeat customers (the other ${repeatCustomers - fitted} have no positive repeat spend)`;
}

function formatReport(report: ModelFitReport): string {
  const n = (value: number, digits = 6) => (Number.isFinite(value) ? Number(value.toPrecision(digits)).toString() : 'n/a');
  const convergence = (fit: { converged: boolean; iterations: number }) =>
    `${fit.converged ? 'converged' : 'NOT converged'} (${fit.iterations} iterations)`;
  const lines = [`${report.source}: ${report.customers} customers, ${report.repeat_customers} with a repeat purchase; time unit ${report.time_unit}`];
  const { bgnbd, gamma_gamma: gg, holdout } = report;
  lines.push(
    bgnbd
      ? `BG/NBD:      r=${n(bgnbd.r)} alpha=${n(bgnbd.alpha)} a=${n(bgnbd.a)} b=${n(bgnbd.b)}  log-likelihood=${n(bgnbd.log_likelihood, 8)}  ${convergence(bgnbd)}`
      : 'BG/NBD:      not fitted',
    gg
      ? `Gamma-Gamma: p=${n(gg.p)} q=${n(gg.q)} v=${n(gg.v)}  log-likelihood=${n(gg.log_likelihood, 8)} over ${spenders(gg.customers, report.repeat_customers)}  ${convergence(gg)}`
      : 'Gamma-Gamma: not fitted',
  );
  if (holdout) {
    const error = holdout.actual > 0 ? (holdout.predicted - holdout.actual) / holdout.actual : null;
    const gap = error === null ? '' : `: the prediction is ${n(100 * Math.abs(error), 3)}% ${error >= 0 ? 'above' : 'below'} the actual count`;
    lines.push(
      `holdout ${holdout.as_of} → ${holdout.end} (${n(holdout.periods, 4)} ${report.time_unit}s): predicted ${n(holdout.predicted, 5)} repeat purchases, actual ${holdout.actual}${gap}`,
    );
  }
  lines.push(`status: ${report.status}`, ...report.warnings.map((warning) => (warning.startsWith('warning: ') ? warning : `warning: ${warning}`)));
  return `${lines.join('\n')}\n`;
}
