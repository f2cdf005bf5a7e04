// Benchmark: replays the bundled L2 samples through each reader and prints events/s, beside a
// bare node:readline pass over the same files in the same run. The ratio to that baseline
// survives a noisy machine; the absolute figure does not. Not a timed test: CI runs
// `--repeat 1` only to check that it still runs.
//
//   npx tsx bench/l2-reader.ts [--repeat N] [--only lobster|binance-usdm]
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { asGauntletError, GauntletError } from "../core/errors.ts";
import { BINANCE_BTCUSDT, LOBSTER_AAPL } from "../data/bundled-samples.ts";
import { openL2, type L2Source } from "../data/readers/index.ts";
import { LineSource } from "../data/readers/lines.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lobster = { messageFile: path.join(root, LOBSTER_AAPL.messageFile), orderbookFile: path.join(root, LOBSTER_AAPL.orderbookFile) };

interface Case { kind: string; source: L2Source; files: Array<{ file: string; gunzip: boolean }> }

const CASES: Case[] = [
  {
    kind: "lobster",
    source: { file: lobster.messageFile, format: "lobster" },
    files: [
      { file: lobster.messageFile, gunzip: false },
      { file: lobster.orderbookFile, gunzip: false },
    ],
  },
  {
    kind: "binance-usdm",
    source: { file: path.join(root, BINANCE_BTCUSDT.file), format: "binance-usdm" },
    files: [{ file: path.join(root, BINANCE_BTCUSDT.file), gunzip: true }],
  },
];

function parseArgs(argv: string[]): { repeat: number; only: string | undefined } {
  let repeat = 5;
  let only: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--repeat" && value !== undefined && /^[1-9]\d*$/.test(value)) repeat = Number(argv[++i]);
    else if (flag === "--only" && CASES.some((c) => c.kind === value)) only = argv[++i];
    else {
      const usage = `--repeat <integer >= 1>, --only ${CASES.map((c) => c.kind).join("|")}`;
      throw new GauntletError("GAUNTLET_USAGE", `bench/l2-reader.ts: bad argument ${JSON.stringify(flag)} (${usage})`);
    }
  }
  return { repeat, only };
}

/** One pass through a reader; the checksum keeps the consumer from being optimised away. */
async function readOnce(source: L2Source): Promise<{ events: number; checksum: number }> {
  let events = 0;
  let checksum = 0;
  for await (const tick of openL2(source).ticks()) {
    events++;
    checksum += tick.bid + tick.volume + tick.bids.length;
  }
  return { events, checksum };
}

/** The floor: the same bytes through node:readline with no parsing at all. */
async function baselineOnce(files: Case["files"]): Promise<number> {
  let lines = 0;
  for (const { file, gunzip } of files) {
    const src = new LineSource(file, { gunzip });
    while ((await src.next()) !== undefined) lines++;
  }
  return lines;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const rssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

async function main(): Promise<void> {
  const { repeat, only } = parseArgs(process.argv.slice(2));
  const startRss = rssMb(); // tsx + the TypeScript loader, before any reader runs
  const cpus = os.cpus();
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  const cpu = cpus[0]?.model.trim() ?? "unknown cpu";
  console.log(`machine: ${cpus.length} cores (${cpu}), ${memory}, ${process.platform}/${process.arch}`);
  console.log(`runtime: node ${process.version}, v8 ${process.versions.v8}; repeat ${repeat}`);
  for (const c of CASES.filter((c) => only === undefined || c.kind === only)) {
    let events = 0;
    let checksum = 0;
    let wallMs = 0;
    let bestMs = Infinity;
    for (let i = 0; i < repeat; i++) {
      const [run, ms] = await timed(() => readOnce(c.source));
      events += run.events;
      checksum += run.checksum;
      wallMs += ms;
      bestMs = Math.min(bestMs, ms);
    }
    let lines = 0;
    let baseMs = 0;
    for (let i = 0; i < repeat; i++) {
      const [n, ms] = await timed(() => baselineOnce(c.files));
      lines += n;
      baseMs += ms;
    }
    const perRun = events / repeat;
    console.log(`\n${c.kind}: ${fmt(perRun)} events per pass x ${repeat}`);
    const best = `best pass ${fmt((perRun / bestMs) * 1000)}; input lines/s ${fmt((lines / wallMs) * 1000)}`;
    console.log(`  events/s     ${fmt((events / wallMs) * 1000)}  (${best})`);
    console.log(`  total events ${fmt(events)}   wall ${wallMs.toFixed(0)} ms   checksum ${checksum.toFixed(2)}`);
    const base = `${fmt((lines / baseMs) * 1000)} lines/s, ${baseMs.toFixed(0)} ms`;
    console.log(`  baseline     bare readline over the same files: ${base}`);
    console.log(`  ratio        reader wall / baseline wall = ${(wallMs / baseMs).toFixed(2)}`);
    console.log(`  peak RSS     ${rssMb()} MB (process so far; ${startRss} MB before any reader ran)`);
  }
}

main().catch((error: unknown) => {
  const known = asGauntletError(error);
  if (known) {
    console.error(known.format());
    process.exitCode = known.exitCode;
  } else {
    throw error;
  }
});
