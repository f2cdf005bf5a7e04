// What a market-data reader is to the rest of Gauntlet: a format name, how a file of that format
// is recognised, the options it takes (a zod schema, so config files are checked), and how to open
// a file as a stream of Ticks. Each format is one file exporting one of these and one entry in
// READERS (index.ts); nothing else lists the formats.
import type { z } from "zod";
import type { L2Reader } from "../types.ts";

export interface ReaderDefinition<S extends z.ZodType = z.ZodType> {
  format: string;
  /** How a file of this format is named, for the error that lists the formats. */
  looksLike: string;
  matches(file: string): boolean;
  /** Options beyond the file (levels, depth, instrument…), from config; `{}` must parse. */
  options: S;
  open(file: string, options: z.output<S>): L2Reader;
  /**
   * What one unit of a Tick's `size` is for this instrument (undefined: not known yet): "shares"
   * for an equity, "contracts" for a future, the base asset ("BTC") for a crypto pair. Reports
   * label positions and depth with it.
   */
  units(instrument: string | undefined): string;
}

export function defineReader<S extends z.ZodType>(reader: ReaderDefinition<S>): ReaderDefinition<S> {
  return reader;
}
