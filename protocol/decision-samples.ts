// What a decision leaves in k6's output, named once for both sides: the scripts that send
// decisions (scripts/lib/decision.ts) and the post-processor that reads them back
// (core/analysis/k6-output.ts). Plain values only, so the k6 bundle can take them in.

/**
 * The system tags a decision script keeps. `vu` and `iter` are metadata (never time series) on
 * every sample, and together name the decision: its id is `<vu>.<iter>`, with the `instance_id`
 * tag in front on a fleet ("2-17.345").
 */
export const DECISION_SYSTEM_TAGS = ["scenario", "status", "expected_response", "vu", "iter"];

/** A Counter sample for each decision whose answer failed the check (not 200, or another id echoed); none for the rest. */
export const ANSWER_CHECK_FAILED_METRIC = "gauntlet_answer_check_failed";

/** A Counter sample for each decision answered with an order, its X-Order-Id as `order_id` metadata. */
export const ORDERS_ANSWERED_METRIC = "gauntlet_orders_answered";

/** The decision id of a sample, from k6's vu and iter metadata and the instance tag ("" when it has none). */
export function decisionIdOf(vu: string | undefined, iter: string | undefined, instance: string | undefined): string {
  if (!vu || !iter) return "";
  return instance ? `${instance}-${vu}.${iter}` : `${vu}.${iter}`;
}
