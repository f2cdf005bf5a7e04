// Lines from k6's output file: a one-pass stream over a finished file (gzip or not), or a tail
// over the file k6 is still writing (the live view and the analysis are the same single pass).
// Either way a last line without its newline means the writer died mid-line: truncated.
import { createReadStream, openSync, readSync, closeSync, fstatSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { StringDecoder } from "node:string_decoder";

export type LineHandler = (line: string, lineNumber: number) => void;

export interface LineStats {
  lines: number;
  bytes: number;
  /** The text after the last newline, when the file did not end with one. */
  partialLastLine: string;
}

/** Splits text chunks into lines, numbering them from 1. */
export class LineSplitter {
  private rest = "";
  lines = 0;

  constructor(private readonly onLine: LineHandler) {}

  push(chunk: string): void {
    let text = this.rest.length > 0 ? this.rest + chunk : chunk;
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.lines++;
      if (end > start) this.onLine(text.slice(start, end), this.lines);
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    this.rest = start < text.length ? text.slice(start) : "";
    text = "";
  }

  get partial(): string {
    return this.rest;
  }
}

/** Stream a finished file once. `.gz` is decompressed on the fly. */
export async function readLines(path: string, onLine: LineHandler): Promise<LineStats> {
  const splitter = new LineSplitter(onLine);
  let bytes = 0;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  raw.on("data", (chunk) => (bytes += chunk.length));
  const stream = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  const decoder = new StringDecoder("utf8");
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
        splitter.push(decoder.write(chunk));
      } catch (error) {
        fail(error);
      }
    });
    stream.on("end", () => {
      try {
        splitter.push(decoder.end());
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
  private readonly decoder = new StringDecoder("utf8");
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private fd: number | undefined;
  private offset = 0;

  constructor(
    private readonly path: string,
    onLine: LineHandler,
  ) {
    this.splitter = new LineSplitter(onLine);
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
      this.splitter.push(this.decoder.write(this.buffer.subarray(0, read)));
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
