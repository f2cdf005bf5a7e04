// The venue's market log (NDJSON, one line per book the venue published): the mid, spread and
// displayed depth the governor was shown, on the venue's wall clock (`t`, epoch ms) and the data's
// own (`ts`). Scenarios mark positions to it.
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";

export interface MarketRow {
  t: number;
  ts: number;
  mid: number;
  spread: number;
  bidDepth: number;
  askDepth: number;
}

export async function readMarketLog(path: string): Promise<MarketRow[]> {
  const rows: MarketRow[] = [];
  if (!existsSync(path)) return rows;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line) rows.push(JSON.parse(line) as MarketRow);
  }
  return rows;
}
