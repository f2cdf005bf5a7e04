// One decision, as every script sends it — at the least cost to the load generator, which shares
// its machine with the target (bench/load-generator.ts measures it against a bare POST).
//
// - The id is `<vu>.<iteration>`: k6's own VU number and that VU's iteration (__VU, __ITER), with
//   the instance in front on a fleet ("2-17.345": k6-operator and `--instances` tag each instance
//   `instance_id`). k6 writes the same two numbers on every sample as its `vu` and `iter` system
//   tags, which are metadata (never time series), so the post-processor reads each sample's
//   decision id without the script writing anything per iteration (core/analysis/k6-output.ts).
// - The answer check (status 200 and the id echoed in X-Decision-Id) costs a sample only when it
//   fails (gauntlet_answer_check_failed), and an order (X-Order-Id) only when there is one
//   (gauntlet_orders_answered, the order id as metadata): the integrity join holds every order a
//   governor answered with against the venue's journal.
// - The answer's body is never read into the VM (responseType none), and the request's params are
//   built once.
import http from "k6/http";
import exec from "k6/execution";
import { Counter } from "k6/metrics";
import { ANSWER_CHECK_FAILED_METRIC, ORDERS_ANSWERED_METRIC } from "../../protocol/decision-samples.ts";

export { DECISION_SYSTEM_TAGS } from "../../protocol/decision-samples.ts";

const answerCheckFailed = new Counter(ANSWER_CHECK_FAILED_METRIC);
const ordersAnswered = new Counter(ORDERS_ANSWERED_METRIC);

export interface DecisionTarget {
  url: string;
  symbolJson: string;
  params: { headers: Record<string, string>; timeout: string; responseType: "none" };
}

export function decisionTarget(targetUrl: string, symbol: string, timeoutMs: number): DecisionTarget {
  return {
    url: `${targetUrl}/v1/decisions`,
    symbolJson: JSON.stringify(symbol),
    params: { headers: { "content-type": "application/json" }, timeout: `${timeoutMs}ms`, responseType: "none" },
  };
}

// Per VU, fixed on its first decision: the instance tag is readable only once the VU runs.
let idPrefix: string | undefined;

/** This VU's decision id for its current iteration. */
function decisionId(): string {
  if (idPrefix === undefined) {
    const instance = exec.vu.tags["instance_id"];
    idPrefix = instance ? `${instance}-${__VU}.` : `${__VU}.`;
  }
  return idPrefix + __ITER;
}

export function sendDecision(target: DecisionTarget, action: number, obsJson: string): void {
  const id = decisionId();
  const res = http.post(target.url, `{"id":"${id}","ts":${Date.now()},"symbol":${target.symbolJson},"action":${action},"obs":${obsJson}}`, target.params);
  const headers = res.headers;
  if (res.status !== 200 || headers["X-Decision-Id"] !== id) answerCheckFailed.add(1);
  const orderId = headers["X-Order-Id"];
  if (orderId) {
    const metadata = exec.vu.metrics.metadata;
    metadata["order_id"] = orderId;
    ordersAnswered.add(1);
    delete metadata["order_id"];
  }
}
