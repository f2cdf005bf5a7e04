// Runs in its own thread (plain JS: no TypeScript loader inside workers). It scrapes the target's
// exporter on a fixed interval and reports how stale the newest visible decision is. A separate
// event loop keeps the measurement free of the main thread's work (parsing k6's output in bursts
// would otherwise delay the moment a scrape is read, and inflate the figure). node:http with a
// keep-alive agent, not fetch: at 20 scrapes a second fetch's per-request cost is measurable CPU
// taken from the system under test.
import { Agent, get } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, metric, intervalMs } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let stopped = false;
parentPort.on("message", (message) => {
  if (message === "stop") stopped = true;
});

function newestArrival(text) {
  let at = text.indexOf(`\n${metric}`);
  while (at !== -1) {
    const next = text[at + 1 + metric.length];
    if (next === " " || next === "{") {
      const end = text.indexOf("\n", at + 1);
      const line = text.slice(at + 1, end === -1 ? undefined : end);
      return Number(line.slice(line.lastIndexOf(" ") + 1));
    }
    at = text.indexOf(`\n${metric}`, at + 1);
  }
  return undefined;
}

function scrape() {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent, timeout: 1000 }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve(text));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
  });
}

while (!stopped) {
  const started = performance.now();
  try {
    const text = await scrape();
    const receivedAt = performance.timeOrigin + performance.now();
    const newest = newestArrival(text);
    if (newest) parentPort.postMessage({ at: Date.now(), lag: Math.max(0, receivedAt - newest * 1000) });
    else parentPort.postMessage({ at: Date.now(), miss: true });
  } catch {
    parentPort.postMessage({ at: Date.now(), miss: true });
  }
  const wait = intervalMs - (performance.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
agent.destroy();
parentPort.close();
