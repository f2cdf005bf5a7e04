// One streaming pass over k6's output into a RunDigest, for a finished file (`analyzeK6File`) or
// while k6 is still writing it (`K6OutputFollower`). Both refuse to judge a file whose last line
// was cut off or whose lines do not parse.
import { GauntletError } from "../errors.ts";
import { csvDecoder, emptyPoint, jsonDecoder, quoted, wantedLines, type LineDecoder } from "./k6-output.ts";
import { FileTail, readLines, type LineFilter, type LineStats } from "./line-source.ts";
import { DIGEST_METRICS, NOTHING_WHEN_ZERO, RunDigest } from "./run-digest.ts";

export type K6Format = "csv" | "json";

export function formatOf(path: string): K6Format {
  const name = path.replace(/\.gz$/, "");
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".json") || name.endsWith(".ndjson")) return "json";
  throw new GauntletError("GAUNTLET_USAGE", `cannot tell k6's output format from "${path}": expected .csv, .json (optionally .gz)`);
}

/** Routes lines to the right decoder (the CSV one needs the header first) and the digest. */
export class DigestSink {
  private decode: LineDecoder | undefined;
  private readonly point = emptyPoint();
  private readonly wanted: LineFilter;
  points = 0;

  constructor(
    private readonly file: string,
    private readonly format: K6Format,
    readonly digest: RunDigest,
  ) {
    if (format === "json") this.decode = jsonDecoder(file, DIGEST_METRICS);
    this.wanted = wantedLines(format, DIGEST_METRICS, NOTHING_WHEN_ZERO);
  }

  /** A byte range after the first line of a CSV file: its header, read once by whoever split the file. */
  primeHeader(header: string): void {
    if (this.format === "csv") this.decode = csvDecoder(this.file, header, DIGEST_METRICS);
  }

  /** The CSV header is always read; after it only the lines of the digest's metrics. */
  keep = (buf: Buffer, start: number, end: number): boolean => this.decode === undefined || this.wanted(buf, start, end);

  line = (line: string, lineNumber: number): void => {
    if (!this.decode) {
      this.decode = csvDecoder(this.file, line, DIGEST_METRICS);
      return;
    }
    if (this.decode(line, lineNumber, this.point)) {
      this.points++;
      this.digest.add(this.point);
    }
  };

  finish(stats: LineStats): void {
    if (stats.lines === 0 && stats.partialLastLine === "") {
      throw new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `${this.file}: empty — k6 wrote no samples`);
    }
    if (stats.partialLastLine !== "") {
      throw new GauntletError(
        "GAUNTLET_K6_OUTPUT_INVALID",
        `${this.file}: line ${stats.lines + 1} is truncated (${quoted(stats.partialLastLine, 60)}): k6 stopped mid-write`,
      );
    }
  }
}

export interface AnalyzedFile {
  digest: RunDigest;
  stats: LineStats;
  points: number;
}

/** One pass over a finished file, into a new digest or (merging instances) one shared by several files. */
export async function analyzeK6File(path: string, scenario: string, into = new RunDigest(scenario)): Promise<AnalyzedFile> {
  const sink = new DigestSink(path, formatOf(path), into);
  let stats: LineStats;
  try {
    stats = await readLines(path, sink.line, sink.keep);
  } catch (error) {
    if (error instanceof GauntletError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `${path}: no such file`);
    // zlib: "unexpected end of file" for a cut gzip stream.
    throw new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", `${path}: ${(error as Error).message}`);
  }
  sink.finish(stats);
  return { digest: sink.digest, stats, points: sink.points };
}

/** Follows the file k6 is writing; the live metrics read the digest while it grows. */
export class K6OutputFollower {
  private readonly sink: DigestSink;
  private readonly tail: FileTail;
  private timer: NodeJS.Timeout | undefined;
  error: GauntletError | undefined;

  /** @param into a digest several followers share (the instances of one load, live). */
  constructor(path: string, scenario: string, into = new RunDigest(scenario)) {
    this.sink = new DigestSink(path, formatOf(path), into);
    this.tail = new FileTail(path, this.sink.line, this.sink.keep);
  }

  get digest(): RunDigest {
    return this.sink.digest;
  }

  start(intervalMs = 100): void {
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  private poll(): void {
    if (this.error) return;
    try {
      this.tail.poll();
    } catch (error) {
      this.error = error instanceof GauntletError ? error : new GauntletError("GAUNTLET_K6_OUTPUT_INVALID", String(error));
    }
  }

  /** Abandon the file (a run that will not be judged): stop polling, close it. Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.tail.close();
  }

  /** After k6 has exited: read the rest and check the file ended cleanly. */
  finish(): AnalyzedFile {
    if (this.timer) clearInterval(this.timer);
    this.poll();
    this.tail.close();
    if (this.error) throw this.error;
    const stats = this.tail.stats();
    this.sink.finish(stats);
    return { digest: this.sink.digest, stats, points: this.sink.points };
  }
}
