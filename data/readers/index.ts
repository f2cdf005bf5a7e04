// One entry point for every market-data format. A new format is one reader file exporting its
// ReaderDefinition and one entry in READERS: the format is told by the file name, or named
// explicitly (`format`), with the reader's own options checked by its schema.
import { DataError } from "../errors.ts";
import type { L2Reader } from "../types.ts";
import { binanceUsdmReader } from "./binance-usdm.ts";
import { databentoMboReader } from "./databento-mbo.ts";
import { lobsterReader } from "./lobster.ts";
import type { ReaderDefinition } from "./reader.ts";

export const READERS: readonly ReaderDefinition[] = [lobsterReader, binanceUsdmReader, databentoMboReader];

/** A market-data file, with its format named (or told by the file name) and the reader's options. */
export interface L2Source {
  file: string;
  format?: string;
  options?: Record<string, unknown>;
}

export function readerFor(source: L2Source): ReaderDefinition {
  if (source.format !== undefined) {
    const named = READERS.find((reader) => reader.format === source.format);
    if (!named) throw new DataError("GAUNTLET_CONFIG_INVALID", `market-data format ${JSON.stringify(source.format)} is not one of: ${READERS.map((r) => r.format).join(", ")}`);
    return named;
  }
  const told = READERS.find((reader) => reader.matches(source.file));
  if (told) return told;
  const known = READERS.map((reader) => `${reader.format}: ${reader.looksLike}`).join("; ");
  throw new DataError("GAUNTLET_DATA_INVALID", `${source.file}: cannot tell the market-data format from the file name (${known}); name it with format`);
}

/** The reader and its parsed options; a bad format or option is a config error that names them. */
export function checkL2Source(source: L2Source): { reader: ReaderDefinition; options: unknown } {
  const reader = readerFor(source);
  const parsed = reader.options.safeParse(source.options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    throw new DataError("GAUNTLET_CONFIG_INVALID", `${reader.format} reader options for ${source.file}: ${issues}`);
  }
  return { reader, options: parsed.data };
}

/** Opens a reader from a path (format told by its name) or an explicit `{ file, format, options }`. */
export function openL2(source: string | L2Source): L2Reader {
  const spec = typeof source === "string" ? { file: source } : source;
  const { reader, options } = checkL2Source(spec);
  return reader.open(spec.file, options);
}
