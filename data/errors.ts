// The errors the market-data layer raises. data/ is the ground floor: it knows nothing of core's
// error table, only the codes it reports under; core turns a DataError into a GauntletError
// (core/errors.ts, asGauntletError) with the table's exit code and hint.

export type DataErrorCode = "GAUNTLET_DATA_INVALID" | "GAUNTLET_DATA_MISSING" | "GAUNTLET_CONFIG_INVALID" | "GAUNTLET_TOOL_MISSING";

export class DataError extends Error {
  readonly code: DataErrorCode;
  /** Replaces the error table's hint when the reader knows better (e.g. how to install zstd). */
  readonly hint: string | undefined;

  constructor(code: DataErrorCode, message: string, options?: { hint?: string }) {
    super(message);
    this.name = "DataError";
    this.code = code;
    this.hint = options?.hint;
  }
}
