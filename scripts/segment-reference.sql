-- Benchmark reference only, never used by tiersync: docs/DESIGN.md's segmentation rules for the
-- default config with predictions off, written as one DuckDB query over a plain orders CSV
-- (clean, USD, as `tiersync generate` writes it), so `npm run bench -- segment` can time
-- `tiersync segment` against an analytical engine and check that both give the same rows.
-- Placeholders: {{orders}} and {{out}} (paths), {{as_of_ms}} (epoch ms).
COPY (
WITH orders AS MATERIALIZED (
  SELECT
    customer_id,
    email,
    epoch_ms(processed_at) AS at_ms,
    CAST(round(total * 100) AS BIGINT) AS total_cents,
    product_type
  FROM read_csv('{{orders}}', header = true, columns = {
    'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'email': 'VARCHAR', 'processed_at': 'TIMESTAMPTZ',
    'total': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'cancelled': 'BOOLEAN', 'test': 'BOOLEAN', 'product_type': 'VARCHAR'
  })
  WHERE NOT cancelled AND NOT test AND customer_id IS NOT NULL AND epoch_ms(processed_at) <= {{as_of_ms}}
),
aged AS (
  SELECT *, CAST(floor(({{as_of_ms}} - at_ms) / 86400000) AS BIGINT) AS age FROM orders
),
facts AS (
  SELECT
    customer_id,
    arg_max(email, at_ms) FILTER (WHERE email IS NOT NULL) AS email,
    min(at_ms) AS first_at,
    max(at_ms) AS last_at,
    count(*) AS orders,
    sum(total_cents) AS revenue_cents,
    count(*) FILTER (WHERE age < 365) AS orders_365,
    coalesce(sum(total_cents) FILTER (WHERE age < 730), 0) AS ltv_cents,
    count(*) FILTER (WHERE age < 180) - count(*) FILTER (WHERE age >= 180 AND age < 360) AS trend,
    count(*) FILTER (WHERE age < 365) - count(*) FILTER (WHERE age >= 365 AND age < 730) AS improvement
  FROM aged
  GROUP BY customer_id
),
units AS (
  SELECT customer_id, product_type, count(*) AS units FROM orders WHERE product_type IS NOT NULL GROUP BY ALL
),
top_category AS (
  SELECT customer_id, first(product_type ORDER BY units DESC, product_type) AS top_category FROM units GROUP BY customer_id
),
derived AS (
  SELECT
    f.*,
    t.top_category,
    CAST(floor(({{as_of_ms}} - last_at) / 86400000) AS BIGINT) AS days_since_last,
    CAST(floor(({{as_of_ms}} - first_at) / 86400000) AS BIGINT) AS tenure_days,
    strftime(make_timestamp(first_at * 1000), '%Y-%m') AS cohort,
    count(*) OVER () AS customers
  FROM facts f LEFT JOIN top_category t USING (customer_id)
),
ranked AS (
  SELECT
    *,
    CASE WHEN tenure_days >= 90 THEN
      (rank() OVER (PARTITION BY tenure_days >= 90 ORDER BY ltv_cents DESC)) / (count(*) OVER (PARTITION BY tenure_days >= 90))::DOUBLE
    END AS share,
    CAST(least(5, 1 + floor(5 * (rank() OVER (ORDER BY days_since_last DESC) - 1) / customers)) AS INTEGER) AS r,
    CAST(least(5, 1 + floor(5 * (rank() OVER (ORDER BY orders) - 1) / customers)) AS INTEGER) AS f,
    CAST(least(5, 1 + floor(5 * (rank() OVER (ORDER BY ltv_cents) - 1) / customers)) AS INTEGER) AS m,
    count(*) OVER (PARTITION BY cohort) AS cohort_size,
    rank() OVER (PARTITION BY cohort ORDER BY ltv_cents DESC) - 1 AS cohort_higher
  FROM derived
),
tiered AS (
  SELECT
    *,
    CASE
      WHEN share IS NULL THEN 'new'
      WHEN ltv_cents = 0 THEN 'low_value'
      WHEN share <= 0.01 THEN 'champion'
      WHEN share <= 0.1 THEN 'vip'
      WHEN share <= 0.2 THEN 'high_value'
      WHEN share <= 0.8 THEN 'mid_tier'
      ELSE 'low_value'
    END AS tier,
    CASE WHEN days_since_last <= 30 THEN 'active' WHEN days_since_last <= 90 THEN 'warm' WHEN days_since_last <= 180 THEN 'cool' ELSE 'cold' END AS recency_bucket,
    greatest(0, least(100, round(
      100 - (1 - least(days_since_last, 365) / 365) * 50 - (greatest(-5, least(5, trend)) / 5) * 30 - (greatest(-10, least(10, improvement)) / 10) * 20
    ))) AS churn_risk
  FROM ranked
)
SELECT
  customer_id, email, tier, ltv_cents, round(share, 6) AS top_share, orders, round(revenue_cents / orders) AS aov_cents,
  days_since_last, recency_bucket, r, f, m, concat(r, f, m) AS rfm, churn_risk,
  (tier IN ('champion', 'vip') AND churn_risk > 70) OR (tier = 'high_value' AND recency_bucket = 'active' AND trend < 0) AS at_risk,
  CASE WHEN days_since_last > 180 THEN CASE WHEN tier IN ('champion', 'vip', 'high_value') THEN 'high_value' WHEN tier = 'low_value' THEN 'low_value' END END AS lapsed,
  days_since_last > 180 AND tier NOT IN ('champion', 'vip', 'high_value') AS suppressed,
  coalesce(days_since_last >= CASE tier WHEN 'champion' THEN 60 WHEN 'vip' THEN 75 WHEN 'high_value' THEN 90 WHEN 'mid_tier' THEN 120 WHEN 'low_value' THEN 180 END, false)
    AND NOT (days_since_last > 180 AND tier NOT IN ('champion', 'vip', 'high_value')) AS reactivation_due,
  cohort, round(10000 * (cohort_size - cohort_higher) / cohort_size) / 100 AS cohort_percentile,
  ltv_cents AS historical_ltv_cents, revenue_cents, orders_365, tenure_days,
  strftime(make_timestamp(first_at * 1000), '%Y-%m-%dT%H:%M:%S.000Z') AS first_order_at,
  strftime(make_timestamp(last_at * 1000), '%Y-%m-%dT%H:%M:%S.000Z') AS last_order_at,
  top_category, NULL AS predicted_clv_cents, NULL AS p_alive, NULL AS expected_orders_365,
  CASE
    WHEN r <= 2 THEN CASE WHEN f = 5 THEN 'Can''t Lose Them' WHEN f >= 3 THEN 'At Risk' WHEN r = 1 THEN 'Lost' ELSE 'Hibernating' END
    WHEN r = 3 THEN CASE WHEN f >= 4 THEN 'Loyal' WHEN f = 3 THEN 'Need Attention' ELSE 'About to Sleep' END
    WHEN f >= 4 THEN CASE WHEN r = 5 THEN 'Champions' ELSE 'Loyal' END
    WHEN f >= 2 THEN 'Potential Loyalist'
    WHEN r = 5 THEN 'New' ELSE 'Promising'
  END AS rfm_segment,
  CASE WHEN trend > 0 THEN 'increasing' WHEN trend < 0 THEN 'declining' ELSE 'stable' END AS frequency_trend
FROM tiered
ORDER BY length(customer_id), customer_id
) TO '{{out}}' (HEADER);
