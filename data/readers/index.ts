// One entry point for every market-data format. A new format (Databento MBO next) is one
// reader file, one member of `L2Source` and one row in FORMATS.
import path from "node:path";
import { GauntletError } from "../../core/errors.ts";
import type { L2Reader } from "../types.ts";
import { openBinanceUsdm, type BinanceUsdmOptions } from "./binance-usdm.ts";
import { openDatabentoMbo, type DatabentoMboOptions } from "./databento-mbo.ts";
import { openLobster, parseLobsterName, type LobsterOptions } from "./lobster.ts";

export type L2Source =
  | ({ kind: "lobster" } & LobsterOptions)
  | ({ kind: "binance-usdm" } & BinanceUsdmOptions)
  | ({ kind: "databento-mbo" } & DatabentoMboOptions);

export type L2Kind = L2Source["kind"];

interface Format {
  kind: L2Kind;
  /** How a bare path names this format, for the error that lists them. */
  looksLike: string;
  matches(file: string): boolean;
  fromPath(file: string): L2Source;
}

const FORMATS: readonly Format[] = [
  {
    kind: "lobster",
    looksLike: "TICKER_DATE_StartMs_EndMs_{message|orderbook}_LEVEL.csv (either file of the pair)",
    matches: (file) => parseLobsterName(file) !== undefined,
    fromPath(file) {
      // Either file of the pair names the other: only the message/orderbook word differs.
      const dir = path.dirname(file);
      const base = path.basename(file);
      const swap = (from: string, to: string) => path.join(dir, base.replace(`_${from}_`, `_${to}_`));
      const isMessage = parseLobsterName(file)?.kind === "message";
      return {
        kind: "lobster",
        messageFile: isMessage ? file : swap("orderbook", "message"),
        orderbookFile: isMessage ? swap("message", "orderbook") : file,
      };
    },
  },
  {
    kind: "binance-usdm",
    looksLike: "*.gz (hftbacktest collector capture of Binance USD-M streams)",
    matches: (file) => file.endsWith(".gz"),
    fromPath: (file) => ({ kind: "binance-usdm", file }),
  },
  {
    kind: "databento-mbo",
    looksLike: "*.dbn or *.dbn.zst (Databento DBN v1, schema mbo)",
    matches: (file) => /\.dbn(\.zst)?$/.test(file),
    fromPath: (file) => ({ kind: "databento-mbo", file }),
  },
];

/** Opens a reader from a path (format told by its name) or from an explicit `{ kind, ... }`. */
export function openL2(source: string | L2Source): L2Reader {
  const spec = typeof source === "string" ? sourceFromPath(source) : source;
  switch (spec.kind) {
    case "lobster":
      return openLobster(spec);
    case "binance-usdm":
      return openBinanceUsdm(spec);
    case "databento-mbo":
      return openDatabentoMbo(spec);
    default: {
      // Reached only from untyped input (a config file); the compiler proves the rest.
      const kind = (spec as { kind: unknown }).kind;
      const known = FORMATS.map((f) => f.kind).join(", ");
      const what = `market-data kind ${JSON.stringify(kind)} is not one of: ${known}`;
      throw new GauntletError("GAUNTLET_CONFIG_INVALID", what);
    }
  }
}

function sourceFromPath(file: string): L2Source {
  const format = FORMATS.find((f) => f.matches(file));
  if (format !== undefined) return format.fromPath(file);
  const known = FORMATS.map((f) => `${f.kind}: ${f.looksLike}`).join("; ");
  throw new GauntletError(
    "GAUNTLET_DATA_INVALID",
    `${file}: cannot tell the market-data format from the file name (${known}); pass { kind, ... } instead`,
  );
}
