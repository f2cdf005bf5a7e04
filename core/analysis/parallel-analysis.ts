// The post-processor on several cores: one finished k6 output file, split into byte ranges read by
// worker threads, their digests merged into the digest one pass would have built (the windows
// share one origin, found first; counts add; histograms and id sets merge exactly). gzip cannot
// be split, and a small file is not worth the threads: both take the one-pass path. A range that
// fails (a malformed line) sends the whole file through the one pass, which names the exact line.
import { openSync, readSync, closeSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { GauntletError } from "../errors.ts";
import { nodeEntryArgs } from "../paths.ts";
import { analyzeK6File, DigestSink, formatOf, type AnalyzedFile } from "./k6-output-stream.ts";
import { LineSplitter } from "./line-source.ts";
import { RunDigest } from "./run-digest.ts";
import type { RangeResult, RangeTask } from "./range-analysis.ts";

/**
 * Below this a file is read by default in one pass: the threads' start (the bundle below, then
 * each thread's) and the merge cost more than they save on a 1-minute flood's output.
 */
export const PARALLEL_MIN_BYTES = 256 * 2 ** 20;

export async function analyzeK6FileParallel(path: string, scenario: string, options: { workers?: number; minBytes?: number } = {}): Promise<AnalyzedFile & { workers: number }> {
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const size = path.endsWith(".gz") ? 0 : fileSize(path);
  if (workers === 1 || size < (options.minBytes ?? PARALLEL_MIN_BYTES)) return { ...(await analyzeK6File(path, scenario)), workers: 1 };
  const format = formatOf(path);
  const start = findOrigin(path, scenario);
  if (start.complete) return { ...start.complete, workers: 1 }; // no windowed sample before the end: that pass was the whole analysis
  const bounds = Array.from({ length: workers + 1 }, (_, i) => Math.round((size * i) / workers));
  const tasks: RangeTask[] = bounds.slice(0, -1).map((from, i) => ({ path, format, scenario, originMs: start.originMs, header: start.header, start: from, end: bounds[i + 1]! }));
  let results: RangeResult[];
  try {
    results = await Promise.all(tasks.map(runRange));
  } catch {
    return { ...(await analyzeK6File(path, scenario)), workers: 1 };
  }
  const digest = new RunDigest(scenario, start.originMs);
  for (const result of results) digest.merge(RunDigest.fromTransfer(result.digest));
  const stats = {
    lines: results.reduce((sum, r) => sum + r.lines, 0),
    bytes: results.reduce((sum, r) => sum + r.bytes, 0),
    partialLastLine: results.map((r) => r.partialLastLine).find((p) => p !== "") ?? "",
  };
  // The same end checks as the one pass (empty, truncated).
  new DigestSink(path, format, digest).finish(stats);
  return { digest, stats, points: results.reduce((sum, r) => sum + r.points, 0), workers };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `${path}: no such file`);
  }
}

/**
 * The first windowed sample's time (every range's window origin) and the CSV header: read from the
 * start until a digest has its origin — usually within the first megabyte after the warm-up.
 */
function findOrigin(path: string, scenario: string): { originMs: number; header: string | undefined; complete?: AnalyzedFile } {
  const probe = new RunDigest(scenario);
  let header: string | undefined;
  const sink = new DigestSink(path, formatOf(path), probe);
  const splitter = new LineSplitter((line, n) => {
    if (n === 1 && formatOf(path) === "csv") header = line;
    sink.line(line, n);
  }, sink.keep);
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(1 << 20);
  let offset = 0;
  try {
    while (Number.isNaN(probe.firstMs)) {
      const read = readSync(fd, buffer, 0, buffer.length, offset);
      if (read <= 0) {
        const stats = { lines: splitter.lines, bytes: offset, partialLastLine: splitter.partial };
        sink.finish(stats);
        return { originMs: Number.NaN, header, complete: { digest: probe, stats, points: sink.points } };
      }
      offset += read;
      splitter.push(buffer.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return { originMs: probe.firstMs, header };
}

/**
 * The thread's code: range-analysis.ts as one bundle, cached and rebuilt when a source changes
 * (bin/run-bundled.mjs). A thread that loaded the TypeScript through tsx took ~0.4 s to start,
 * and bundling it in memory for every analysis ~0.2 s: more than a thread's share of a
 * 600,000-decision file is worth.
 */
const [RUN_BUNDLED, RANGE_ANALYSIS] = nodeEntryArgs(fileURLToPath(new URL("./range-analysis.ts", import.meta.url)));

async function runRange(task: RangeTask): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    // No execArgv: a CLI run through tsx would load tsx's hooks into every thread as well.
    const worker = new Worker(RUN_BUNDLED, { argv: [RANGE_ANALYSIS], workerData: task, execArgv: [] });
    worker.once("message", (message: { ok: true; result: RangeResult } | { ok: false; message: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once("error", reject);
  });
}
