// One decision, as every script sends it: the id travels as k6 metadata (never a tag), the body
// is assembled from pre-serialized parts, the answer's body is not read into the VM, and the check
// compares the id the governor echoes in its X-Decision-Id header. When the governor placed an
// order, its id (X-Order-Id) rides on the check's sample as metadata: the integrity join holds
// every order a governor answered with against the venue's journal.
import http from "k6/http";
import exec from "k6/execution";
import { check } from "k6";

export function sendDecision(targetUrl: string, id: string, symbolJson: string, action: number, obsJson: string, timeoutMs: number): void {
  const metadata = exec.vu.metrics.metadata;
  metadata["decision_id"] = id;
  const res = http.post(
    `${targetUrl}/v1/decisions`,
    `{"id":"${id}","ts":${Date.now()},"symbol":${symbolJson},"action":${action},"obs":${obsJson}}`,
    { headers: { "content-type": "application/json" }, timeout: `${timeoutMs}ms`, responseType: "none" },
  );
  const orderId = res.headers["X-Order-Id"];
  if (orderId) metadata["order_id"] = orderId;
  check(res, { "decision answered": (r) => r.status === 200 && r.headers["X-Decision-Id"] === id });
  if (orderId) delete metadata["order_id"];
}
