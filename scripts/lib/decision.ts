// One decision, as every script sends it: the id travels as k6 metadata (never a tag), the body
// is assembled from pre-serialized parts, the answer's body is not read into the VM, and the check
// compares the id the governor echoes in its x-decision-id header.
import http from "k6/http";
import exec from "k6/execution";
import { check } from "k6";

export function sendDecision(targetUrl: string, id: string, symbolJson: string, action: number, obsJson: string, timeoutMs: number): void {
  exec.vu.metrics.metadata["decision_id"] = id;
  const res = http.post(
    `${targetUrl}/v1/decisions`,
    `{"id":"${id}","ts":${Date.now()},"symbol":${symbolJson},"action":${action},"obs":${obsJson}}`,
    { headers: { "content-type": "application/json" }, timeout: `${timeoutMs}ms`, responseType: "none" },
  );
  check(res, { "decision answered": (r) => r.status === 200 && r.headers["X-Decision-Id"] === id });
}
