// Lines from k6's output file: a one-pass stream over a finished file (gzip or not), or a tail
// over the file k6 is still writing (the live view and the analysis are the same single pass).
// Either way a last line without its newline means the writer died mid-line: truncated.
import { createReadStream, openSync, readSync, closeSync, fstatSync } from "node:fs";
import { createGunzip } from "node:zlib";

export type LineHandler = (line: string, lineNumber: number) => void;

export interface LineStats {
  lines: number;
  bytes: number;
  /** The text after the last newline, when the file did not end with one. */
  partialLastLine: string;
}

/**
 * Decides from a line's bytes whether it is worth decoding. k6 writes ~14 lines per request and an
 * analysis wants 3 of them: skipping the rest before they become strings is most of the speed.
 */
export type LineFilter = (buf: Buffer, start: number, end: number) => boolean;

/** Splits byte chunks into lines, numbering them from 1; only lines the filter keeps are decoded. */
export class LineSplitter {
  private rest: Buffer | undefined;
  lines = 0;

  constructor(
    private readonly onLine: LineHandler,
    private readonly keep: LineFilter = () => true,
  ) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.rest) {
      // Only the line cut at the previous chunk's end is joined (copying every 1 MiB chunk onto it
      // cost a tenth of a pass over a 700 MB file).
      const first = chunk.indexOf(10);
      if (first === -1) {
        this.rest = Buffer.concat([this.rest, chunk]);
        return;
      }
      const joined = Buffer.concat([this.rest, chunk.subarray(0, first + 1)]);
      this.rest = undefined;
      this.push(joined);
      buf = chunk.subarray(first + 1);
    }
    let start = 0;
    let newline = buf.indexOf(10, start);
    while (newline !== -1) {
      const end = newline > start && buf[newline - 1] === 13 ? newline - 1 : newline;
      this.lines++;
      if (end > start && this.keep(buf, start, end)) this.onLine(buf.toString("utf8", start, end), this.lines);
      start = newline + 1;
      newline = buf.indexOf(10, start);
    }
    // A copy: the caller may reuse the chunk's memory for its next read.
    this.rest = start < buf.length ? Buffer.from(buf.subarray(start)) : undefined;
  }

  get partial(): string {
    return this.rest ? this.rest.toString("utf8") : "";
  }
}

/** Stream a finished file once. `.gz` is decompressed on the fly. */
export async function readLines(path: string, onLine: LineHandler, keep?: LineFilter): Promise<LineStats> {
  const splitter = new LineSplitter(onLine, keep);
  if (!path.endsWith(".gz")) {
    // Plain reads in a loop: a finished file is in the page cache, and a stream's hand-offs left
    // the thread idle for a fifth of the pass.
    const fd = openSync(path, "r");
    const buffer = Buffer.allocUnsafe(1 << 20);
    let bytes = 0;
    try {
      for (;;) {
        const read = readSync(fd, buffer, 0, buffer.length, bytes);
        if (read <= 0) break;
        bytes += read;
        splitter.push(buffer.subarray(0, read));
      }
    } finally {
      closeSync(fd);
    }
    return { lines: splitter.lines, bytes, partialLastLine: splitter.partial };
  }
  let bytes = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on("data", (chunk) => (bytes += chunk.length));
  const stream = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  await new Promise<void>((resolve, reject) => {
    // A throwing line handler (a malformed line) must reject this promise: thrown inside a stream
    // event it would otherwise become an uncaught exception and leave the promise pending.
    const fail = (error: unknown) => {
      stream.destroy();
      raw.destroy();
      reject(error);
    };
    raw.on("error", reject);
    stream.on("error", reject);
    stream.on("data", (chunk: Buffer) => {
      try {
        splitter.push(chunk);
      } catch (error) {
        fail(error);
      }
    });
    stream.on("end", () => {
      try {
        resolve();
      } catch (error) {
        fail(error);
      }
    });
  });
  return { lines: splitter.lines, bytes, partialLastLine: splitter.partial };
}

/** Follows a file that another process is appending to; call `poll()` on a timer and once at the end. */
export class FileTail {
  private readonly splitter: LineSplitter;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private fd: number | undefined;
  private offset = 0;

  constructor(
    private readonly path: string,
    onLine: LineHandler,
    keep?: LineFilter,
  ) {
    this.splitter = new LineSplitter(onLine, keep);
  }

  /** Read everything appended since the last poll. Returns the number of bytes read. */
  poll(): number {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.path, "r");
      } catch {
        return 0; // k6 has not created it yet
      }
    }
    let total = 0;
    for (;;) {
      const read = readSync(this.fd, this.buffer, 0, this.buffer.length, this.offset);
      if (read <= 0) break;
      this.offset += read;
      total += read;
      this.splitter.push(this.buffer.subarray(0, read));
    }
    return total;
  }

  stats(): LineStats {
    return { lines: this.splitter.lines, bytes: this.offset, partialLastLine: this.splitter.partial };
  }

  size(): number {
    return this.fd === undefined ? 0 : fstatSync(this.fd).size;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
