// The market-data samples bundled in data/samples/, named once: the venue's default replay, the
// flash crash's named sources, the observations the k6 scripts send and the pre-flight check all
// read them from here. Paths are relative to the repository root.

export const LOBSTER_AAPL = {
  messageFile: "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_message_10.csv",
  orderbookFile: "data/samples/lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.csv",
  symbol: "AAPL",
  description: "LOBSTER AAPL 2012-06-21 (level 10)",
} as const;

export const BINANCE_BTCUSDT = {
  file: "data/samples/binance/btcusdt_20240808.gz",
  symbol: "BTCUSDT",
  description: "Binance USD-M BTCUSDT 2024-08-08 (hftbacktest collector capture)",
} as const;

/** Sources a scenario can name instead of a path (`--set flash-crash.source=binance`). */
export const NAMED_SOURCES = {
  lobster: LOBSTER_AAPL.messageFile,
  binance: BINANCE_BTCUSDT.file,
} as const;

/** Every bundled file the default runs need. */
export const REQUIRED_SAMPLE_FILES = [LOBSTER_AAPL.messageFile, LOBSTER_AAPL.orderbookFile] as const;
