// One byte range of a k6 output file into a digest, in a worker thread (parallel-analysis.ts).
// The range holds the lines that start inside it: it skips the tail of a line the range before
// owns and reads past its own end to finish its last line.
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { DigestSink, type K6Format } from "./k6-output-stream.ts";
import { LineSplitter } from "./line-source.ts";
import { RunDigest, type RunDigestTransfer } from "./run-digest.ts";

export interface RangeTask {
  path: string;
  format: K6Format;
  scenario: string;
  /** The origin every range's windows share (the first windowed sample of the whole file). */
  originMs: number;
  /** The CSV header line (the first range reads it itself). */
  header: string | undefined;
  start: number;
  end: number;
}

export interface RangeResult {
  digest: RunDigestTransfer;
  lines: number;
  bytes: number;
  points: number;
  /** Text after the last newline of the file (only the last range can see it). */
  partialLastLine: string;
}

const CHUNK = 1 << 20;

export function analyzeRange(task: RangeTask): RangeResult {
  const sink = new DigestSink(task.path, task.format, new RunDigest(task.scenario, task.originMs));
  if (task.start > 0 && task.header !== undefined) sink.primeHeader(task.header);
  const splitter = new LineSplitter(sink.line, sink.keep);
  const fd = openSync(task.path, "r");
  const buffer = Buffer.allocUnsafe(CHUNK);
  let bytes = 0;
  try {
    let offset = task.start;
    if (task.start > 0) {
      // The line that straddles `start` belongs to the range before: skip to just after the
      // newline at start-1 or later (a range starting exactly on a line start skips nothing).
      offset = task.start - 1;
      for (;;) {
        const read = readSync(fd, buffer, 0, CHUNK, offset);
        if (read <= 0) return finish(sink, splitter, 0);
        const newline = buffer.subarray(0, read).indexOf(10);
        if (newline !== -1) {
          offset += newline + 1;
          break;
        }
        offset += read;
      }
    }
    // Lines that start before `end`; the last may run past it.
    while (offset < task.end) {
      const read = readSync(fd, buffer, 0, Math.min(CHUNK, task.end - offset), offset);
      if (read <= 0) break;
      splitter.push(buffer.subarray(0, read));
      offset += read;
      bytes += read;
    }
    if (splitter.partial !== "") {
      for (;;) {
        const read = readSync(fd, buffer, 0, CHUNK, offset);
        if (read <= 0) break;
        const newline = buffer.subarray(0, read).indexOf(10);
        const take = newline === -1 ? read : newline + 1;
        splitter.push(buffer.subarray(0, take));
        offset += take;
        bytes += take;
        if (newline !== -1) break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return finish(sink, splitter, bytes);
}

function finish(sink: DigestSink, splitter: LineSplitter, bytes: number): RangeResult {
  return { digest: sink.digest.toTransfer(), lines: splitter.lines, bytes, points: sink.points, partialLastLine: splitter.partial };
}

if (parentPort && workerData) {
  try {
    parentPort.postMessage({ ok: true, result: analyzeRange(workerData as RangeTask) });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: (error as Error).message });
  }
}
