// The load generator's floor: one POST per iteration at a fixed arrival rate, no check, no
// metadata, no thresholds — what k6 costs with nothing of Gauntlet's on top (bench/load-generator.ts).
import http from "k6/http";

const rate = Number(__ENV.RATE || 3000);
const duration = Number(__ENV.DURATION || 20);
const url = `${__ENV.TARGET || "http://127.0.0.1:7300"}/v1/decisions`;

export const options = {
  scenarios: {
    bare: { executor: "constant-arrival-rate", rate, timeUnit: "1s", duration: `${duration}s`, preAllocatedVUs: 100, maxVUs: 500 },
  },
  summaryTrendStats: ["avg", "med", "p(95)", "p(99)", "max", "count"],
};

export default function () {
  http.post(url, `{"id":"${__ITER}","ts":${Date.now()},"symbol":"AAPL","action":2,"obs":[0]}`, { headers: { "content-type": "application/json" } });
}
