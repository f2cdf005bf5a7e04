import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isGauntletError } from "../../core/errors.ts";
import { csvDecoder, emptyPoint, jsonDecoder, parseRfc3339Ms } from "../../core/analysis/k6-output.ts";
import { analyzeK6File, formatOf, K6OutputFollower, type AnalyzedFile } from "../../core/analysis/k6-output-stream.ts";
import { LineSplitter } from "../../core/analysis/line-source.ts";
import { wantedLines } from "../../core/analysis/k6-output.ts";
import { DIGEST_METRICS, NOTHING_WHEN_ZERO } from "../../core/analysis/run-digest.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FIX = path.join(root, "tests/fixtures/k6");
const fixture = (name: string) => path.join(FIX, name);
const tmp = mkdtempSync(path.join(tmpdir(), "gauntlet-k6-output-"));
const SCENARIO = "decision-flood";
const HEADER = "metric_name,timestamp,metric_value,check,expected_response,scenario,status,extra_tags,metadata";

/** Runs `fn` and asserts it fails with `code` and a message naming every part. */
async function fails(fn: () => unknown, code: string, parts: string[]): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isGauntletError(error)) throw error;
    assert.is(error.code, code, error.message);
    for (const part of parts) assert.ok(error.message.includes(part), `"${part}" not in: ${error.message}`);
    return;
  }
  assert.unreachable("bad input was accepted");
}

test("an order id rides on gauntlet_orders_answered's metadata, in both formats; other metrics never carry one", () => {
  const csv = csvDecoder("x.csv", HEADER, DIGEST_METRICS);
  const point = emptyPoint();
  assert.ok(csv("gauntlet_orders_answered,1795608149123456,1.000000,,,decision-flood,,,vu=3&iter=42&order_id=O17", 2, point));
  assert.equal([point.decisionId, point.orderId], ["3.42", "O17"]);
  assert.ok(csv("http_req_duration,1795608149123456,0.8,,true,decision-flood,200,,vu=3&iter=42&order_id=O17", 3, point));
  assert.is(point.orderId, "", "only the order's own sample is read for it");
  const json = jsonDecoder("x.json", DIGEST_METRICS);
  assert.ok(json('{"metric":"gauntlet_orders_answered","type":"Point","data":{"time":"2026-11-25T13:02:29Z","value":1,"tags":{"scenario":"decision-flood"},"metadata":{"vu":"1","iter":"9","order_id":"O3"}}}', 1, point));
  assert.equal([point.decisionId, point.orderId], ["1.9", "O3"]);
});

test("the decision id: k6's vu and iter metadata, the instance tag in front on a fleet; a decision_id entry wins", () => {
  const csv = csvDecoder("x.csv", HEADER, DIGEST_METRICS);
  const json = jsonDecoder("x.json", DIGEST_METRICS);
  const point = emptyPoint();
  const id = (line: string) => (assert.ok(csv(line, 2, point)), point.decisionId);
  assert.is(id("http_req_duration,1795608149123456,0.8,,true,decision-flood,200,,iter=345&vu=17"), "17.345", "either order");
  assert.is(id("http_req_duration,1795608149123456,0.8,,true,decision-flood,200,instance_id=2,vu=17&iter=345"), "2-17.345");
  assert.is(id('http_req_duration,1795608149123456,0.8,,true,decision-flood,200,"a=1&instance_id=12",vu=17&iter=345'), "12-17.345");
  assert.is(id("http_req_duration,1795608149123456,0.8,,true,decision-flood,200,,vu=17"), "", "a vu without its iteration names nothing");
  assert.is(id("http_req_duration,1795608149123456,0.8,,true,decision-flood,200,instance_id=2,decision_id=w42&vu=17&iter=345"), "w42", "a script's own decision_id");
  assert.ok(json('{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-25T13:02:29Z","value":1,"tags":{"scenario":"decision-flood","instance_id":"3"},"metadata":{"vu":"5","iter":"0"}}}', 1, point));
  assert.is(point.decisionId, "3-5.0");
});

// A follower whose test failed half-way must not keep the runner alive with its timer.
const followers: K6OutputFollower[] = [];
function follow(file: string): K6OutputFollower {
  const follower = new K6OutputFollower(file, SCENARIO);
  followers.push(follower);
  return follower;
}

test.after(() => {
  for (const follower of followers) {
    try {
      follower.finish();
    } catch {
      // already reported by its test
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.unreachable(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function assertFloodCsv({ digest, stats, points }: AnalyzedFile): void {
  assert.is(stats.lines, 17);
  assert.is(stats.partialLastLine, "");
  assert.is(points, 11, "every wanted sample is decoded, whatever its scenario, but the two http_req_failed of 0.000000 (they change nothing)");
  assert.is(digest.requests, 3, "setup, untagged and warm-up samples do not count");
  assert.is(digest.failed, 1);
  assert.is(digest.checksFailed, 1, "the untagged answer check does not count");
  assert.is(digest.dropped, 1, "the warm-up's dropped iterations do not count");
  assert.is(digest.latency.count, 3);
  assert.ok(Math.abs(digest.latency.meanMs - (0.812345 + 1.25 + 2) / 3) < 1e-12);
  assert.ok(Math.abs(digest.firstMs - 1795608149123.456) < 1e-3, String(digest.firstMs));
  assert.ok(Math.abs(digest.lastMs - 1795608150900) < 1e-3, String(digest.lastMs));
  assert.ok(digest.hasDecision("3.42") && digest.hasDecision("3.43") && digest.hasDecision("4.0"));
  assert.not.ok(digest.hasDecision("1.7"), "the warm-up's decision is not the flood's");
  assert.is(digest.decisionIdsSeen(), 3);
  assert.ok(digest.answered.has("1.7") && digest.answered.has("3.42") && !digest.answered.has("4.0"), "answered: any scenario, 2xx only");
  assert.equal([...digest.orders], [["O17", { decisionId: "3.42", atMs: 1795608149123.456 }]]);
}

test("CSV decoder: the header names the columns; unix_micro timestamps; the decision id from the metadata", () => {
  const decode = csvDecoder("k6.csv", HEADER, DIGEST_METRICS);
  const point = emptyPoint();
  assert.ok(decode("http_req_duration,1795608149123456,0.812345,,true,decision-flood,200,,vu=1&iter=42", 2, point));
  assert.equal(point, {
    metric: "http_req_duration",
    timeMs: 1795608149123456 / 1000,
    value: 0.812345,
    scenario: "decision-flood",
    status: "200",
    decisionId: "1.42",
    orderId: "",
  });
  assert.ok(decode("gauntlet_answer_check_failed,1795608149123456,1.000000,,,decision-flood,,,vu=1&iter=42", 3, point));
  assert.is(point.metric, "gauntlet_answer_check_failed");
  assert.is(point.value, 1);
  assert.ok(decode("dropped_iterations,1795608149123456,1.000000,,,decision-flood,,,", 4, point));
  assert.is(point.metric, "dropped_iterations");
  assert.is(point.decisionId, "", "no metadata, no id");
});

test("CSV decoder: quoted fields keep their commas and doubled quotes; other metadata keys are ignored", () => {
  const decode = csvDecoder("k6.csv", HEADER, DIGEST_METRICS);
  const point = emptyPoint();
  assert.ok(decode('http_req_duration,1795608149123456,0,"status 200, ""same"" id",,decision-flood,,"a=1,b=2",attempt=2&decision_id=9', 2, point));
  assert.is(point.scenario, "decision-flood", "the quoted field before it kept its comma");
  assert.is(point.decisionId, "9");
  assert.ok(decode("http_req_duration,1795608149123456,0,x,,decision-flood,,,decision_idx=5&xdecision_id=6&vux=1&iterx=2", 3, point));
  assert.is(point.decisionId, "", "only the exact keys count");
});

test("CSV decoder: columns found by name in any order; unix seconds; unwanted metrics skipped unparsed", () => {
  const decode = csvDecoder("k6.csv", "metric_name,scenario,timestamp,metric_value,status", DIGEST_METRICS);
  const point = emptyPoint();
  assert.ok(decode("http_req_duration,decision-flood,1795608149,2.5,200", 2, point));
  assert.is(point.timeMs, 1795608149000);
  assert.is(point.scenario, "decision-flood");
  assert.is(point.decisionId, "", "no metadata column");
  assert.not.ok(decode("vus,decision-flood,not-a-time,many", 3, point), "vus is not wanted, so not parsed");
});

test("CSV decoder: every number reads as Number() reads it, the plain decimals read in place included", () => {
  const decode = csvDecoder("k6.csv", HEADER, DIGEST_METRICS);
  const point = emptyPoint();
  for (const text of ["0.812345", "12.345678", "3", "0", "000.5", "1e3", "-1.5", ".5", "5.", "9007199254740993.5", "0.1234567890123456789"]) {
    assert.ok(decode(`http_req_duration,1795608149123456,${text},,true,decision-flood,200,,`, 2, point));
    assert.is(point.value, Number(text), text);
  }
  assert.ok(decode(`http_req_duration,1795608149123456,"2.5",,true,decision-flood,200,,`, 3, point));
  assert.is(point.value, 2.5, "a quoted field");
});

test("CSV decoder: a header that is not k6's is refused on line 1", async () => {
  await fails(() => csvDecoder("x.csv", "metric,time,value", DIGEST_METRICS), "GAUNTLET_K6_OUTPUT_INVALID", ["x.csv", "line 1", "not a k6 CSV header", "metric,time,value"]);
  await fails(() => analyzeK6File(fixture("not-k6.fails.csv"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["not-k6.fails.csv", "line 1", "not a k6 CSV header"]);
});

test("CSV decoder: a line without columns, with the wrong column count or a non-number is refused with its line", async () => {
  const decode = csvDecoder("k6.csv", HEADER, DIGEST_METRICS);
  await fails(() => decode("garbage", 7, emptyPoint()), "GAUNTLET_K6_OUTPUT_INVALID", ["k6.csv", "line 7", "no columns"]);
  await fails(() => decode("http_req_duration,1,2", 8, emptyPoint()), "GAUNTLET_K6_OUTPUT_INVALID", ["line 8", "expected 9 columns, found 3"]);
  await fails(() => decode("http_req_duration,1795608149123456,NaN,,true,decision-flood,200,,", 9, emptyPoint()), "GAUNTLET_K6_OUTPUT_INVALID", ["line 9", "must be numbers", '"NaN"']);
});

test("JSON decoder: Point lines in either key order; Metric lines and unwanted metrics skipped", () => {
  const decode = jsonDecoder("k6.json", DIGEST_METRICS);
  const point = emptyPoint();
  assert.not.ok(decode('{"type":"Metric","data":{"name":"http_req_duration","type":"trend"},"metric":"http_req_duration"}', 1, point));
  assert.not.ok(decode('{"metric":"http_req_duration","type":"Metric","data":{"name":"http_req_duration"}}', 2, point));
  assert.not.ok(decode('{"metric":"vus","type":"Point","data":{"time":"2026-11-25T13:02:29Z","value":10,"tags":null}}', 3, point));
  assert.ok(decode('{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-25T13:02:29.123456789Z","value":0.8,"tags":{"scenario":"decision-flood","status":"200"},"metadata":{"decision_id":"42"}}}', 4, point));
  assert.is(point.metric, "http_req_duration");
  assert.is(point.value, 0.8);
  assert.is(point.scenario, "decision-flood");
  assert.is(point.status, "200");
  assert.is(point.decisionId, "42");
  assert.ok(Math.abs(point.timeMs - (Date.UTC(2026, 10, 25, 13, 2, 29) + 123.456789)) < 1e-6);
  assert.ok(decode('{"type":"Point","data":{"time":"2026-11-25T13:02:30Z","value":1,"tags":{"group":""}},"metric":"gauntlet_answer_check_failed"}', 5, point));
  assert.is(point.metric, "gauntlet_answer_check_failed");
  assert.is(point.scenario, "", "no scenario tag");
  assert.is(point.decisionId, "", "no metadata");
});

test("JSON decoder: invalid JSON, a non-RFC 3339 time and a missing value are refused with their line", async () => {
  const decode = jsonDecoder("k6.json", DIGEST_METRICS);
  await fails(() => decode('{"metric":"http_req_duration","type":"Point","data":{"ti', 3, emptyPoint()), "GAUNTLET_K6_OUTPUT_INVALID", ["k6.json", "line 3", "not valid JSON"]);
  await fails(() => decode("not json at all", 4, emptyPoint()), "GAUNTLET_K6_OUTPUT_INVALID", ["line 4", "not valid JSON"]);
  await fails(
    () => decode('{"metric":"http_req_duration","type":"Point","data":{"time":"yesterday","value":1}}', 5, emptyPoint()),
    "GAUNTLET_K6_OUTPUT_INVALID",
    ["line 5", "not RFC 3339", '"yesterday"'],
  );
  await fails(
    () => decode('{"metric":"gauntlet_answer_check_failed","type":"Point","data":{"time":"2026-11-25T13:02:29Z"}}', 6, emptyPoint()),
    "GAUNTLET_K6_OUTPUT_INVALID",
    ["line 6", "data.value (number)"],
  );
});

test("RFC 3339 with nanoseconds keeps the sub-millisecond part; offsets are honoured", () => {
  const base = Date.UTC(2026, 10, 25, 13, 2, 29);
  assert.is(parseRfc3339Ms("2026-11-25T13:02:29Z"), base);
  assert.ok(Math.abs(parseRfc3339Ms("2026-11-25T13:02:29.123456789Z") - (base + 123.456789)) < 1e-6);
  assert.ok(Math.abs(parseRfc3339Ms("2026-11-25T14:02:29.000000001+01:00") - (base + 0.000001)) < 1e-6);
  assert.ok(Math.abs(parseRfc3339Ms("2026-11-25T13:02:29.5-00:00") - (base + 500)) < 1e-9);
  assert.ok(Number.isNaN(parseRfc3339Ms("yesterday")));
});

test("the output format comes from the file name, .gz or not", async () => {
  assert.is(formatOf("run/k6.csv"), "csv");
  assert.is(formatOf("run/k6.csv.gz"), "csv");
  assert.is(formatOf("run/k6.json"), "json");
  assert.is(formatOf("run/k6.ndjson.gz"), "json");
  await fails(() => formatOf("run/k6.txt"), "GAUNTLET_USAGE", ["run/k6.txt", "expected .csv, .json"]);
});

test("lines: split across chunks (multi-byte characters too), CRLF trimmed, blank lines numbered but not handed on", () => {
  const seen: Array<[string, number]> = [];
  const splitter = new LineSplitter((line, n) => seen.push([line, n]));
  const euro = Buffer.from("€");
  splitter.push(Buffer.from("a,b"));
  splitter.push(Buffer.from("\r\n\nc"));
  splitter.push(Buffer.concat([Buffer.from("d"), euro.subarray(0, 1)]));
  splitter.push(Buffer.concat([euro.subarray(1), Buffer.from("\nlast")]));
  assert.equal(seen, [["a,b", 1], ["cd€", 3]]);
  assert.is(splitter.lines, 3);
  assert.is(splitter.partial, "last");
});

test("lines: the byte filter skips unwanted metrics undecoded and keeps what the decoder must refuse", () => {
  const csv = wantedLines("csv", DIGEST_METRICS);
  const json = wantedLines("json", DIGEST_METRICS);
  const keeps = (filter: typeof csv, line: string) => filter(Buffer.from(`x${line}\n`), 1, line.length + 1);
  assert.ok(keeps(csv, "http_req_duration,1700000000000000,1.2,,,s,200,,"));
  assert.ok(keeps(csv, "gauntlet_answer_check_failed,1700000000000000,1,,,s,,,"));
  assert.not.ok(keeps(csv, "checks,1700000000000000,1,ok,,s,,,"), "k6's checks: no gate reads them");
  assert.not.ok(keeps(csv, "http_req_duration_x,1,2"));
  assert.not.ok(keeps(csv, "http_req_blocked,1700000000000000,0.1,,,s,,,"));
  assert.ok(keeps(csv, "garbage without columns"));
  assert.ok(keeps(json, '{"metric":"http_req_failed","type":"Point","data":{}}'));
  assert.not.ok(keeps(json, '{"metric":"http_req_waiting","type":"Point","data":{}}'));
  assert.not.ok(keeps(json, '{"type":"Metric","data":{},"metric":"checks"}'));
  assert.ok(keeps(json, '{"type":"Point","metric":"checks","data":{}}'), "another key order is left to the decoder");
  assert.ok(keeps(json, "not json"));
});

test("lines: a sample that changes nothing when 0 (http_req_failed) is skipped undecoded only when its value is a zero", () => {
  const csv = wantedLines("csv", DIGEST_METRICS, NOTHING_WHEN_ZERO);
  const json = wantedLines("json", DIGEST_METRICS, NOTHING_WHEN_ZERO);
  const keeps = (filter: typeof csv, line: string) => filter(Buffer.from(`x${line}\n`), 1, line.length + 1);
  assert.not.ok(keeps(csv, "http_req_failed,1700000000000000,0.000000,true,decision-flood,200,,vu=3&iter=42"));
  assert.not.ok(keeps(csv, "http_req_failed,1700000000,0,true,,200,,"), "unix seconds, a plain 0");
  assert.not.ok(keeps(csv, "http_req_failed,2026-11-25T13:02:29.123Z,0.0,true,,200,,"), "an RFC 3339 timestamp");
  assert.ok(keeps(csv, "http_req_failed,1700000000000000,1.000000,false,decision-flood,503,,vu=4&iter=0"), "a failure");
  assert.ok(keeps(csv, "http_req_failed,1700000000000000,0.5,false,,503,,"), "not a zero");
  assert.ok(keeps(csv, "http_req_failed,1700000000000000,.0,true,,200,,"), "not a number k6 writes: the decoder says so");
  assert.ok(keeps(csv, "http_req_failed,1700000000000000,,true,,200,,"), "an empty value: the decoder refuses it");
  assert.ok(keeps(csv, "http_req_failed,1700000000000000,0.000000"), "a line cut after the value: the decoder refuses it");
  assert.ok(keeps(csv, "http_req_duration,1700000000000000,0.000000,true,decision-flood,200,,vu=1&iter=1"), "a latency of 0 is a sample");
  assert.ok(keeps(json, '{"metric":"http_req_failed","type":"Point","data":{"value":0}}'), "JSON lines are left to the decoder");
});

test("analyzeK6File: a real-shaped CSV into a digest", async () => {
  assertFloodCsv(await analyzeK6File(fixture("flood.csv"), SCENARIO));
});

test("analyzeK6File: k6 JSON (Point lines, Metric lines skipped, RFC 3339 ns times) into a digest", async () => {
  const { digest, stats, points } = await analyzeK6File(fixture("flood.json"), SCENARIO);
  assert.is(stats.lines, 10);
  assert.is(points, 7, "two Metric lines and a vus point are skipped");
  assert.is(digest.requests, 2, "the setup request does not count");
  assert.is(digest.failed, 1);
  assert.is(digest.checksFailed, 1);
  assert.is(digest.dropped, 3);
  assert.ok(digest.hasDecision("3.42") && digest.hasDecision("3.43"));
  assert.equal([...digest.orders.keys()], ["O17"]);
  assert.ok(Math.abs(digest.firstMs - (Date.UTC(2026, 10, 25, 13, 2, 29) + 123.456789)) < 1e-6);
  assert.ok(Math.abs(digest.lastMs - (Date.UTC(2026, 10, 25, 13, 2, 31) + 250)) < 1e-6);
});

test("analyzeK6File: .csv.gz and .json.gz give the same digest as the plain files", async () => {
  const csvGz = path.join(tmp, "flood.csv.gz");
  writeFileSync(csvGz, gzipSync(readFileSync(fixture("flood.csv"))));
  const zipped = await analyzeK6File(csvGz, SCENARIO);
  assertFloodCsv(zipped);
  assert.is(zipped.stats.bytes, readFileSync(csvGz).length, "bytes counts the file as stored");

  const jsonGz = path.join(tmp, "flood.json.gz");
  writeFileSync(jsonGz, gzipSync(readFileSync(fixture("flood.json"))));
  const plain = await analyzeK6File(fixture("flood.json"), SCENARIO);
  const fromGz = await analyzeK6File(jsonGz, SCENARIO);
  assert.is(fromGz.points, plain.points);
  assert.equal(fromGz.digest.latency.summary(), plain.digest.latency.summary());
  assert.is(fromGz.digest.dropped, plain.digest.dropped);
});

test("analyzeK6File: a last line without its newline is truncated, named by its line number", async () => {
  await fails(() => analyzeK6File(fixture("truncated.fails.csv"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", [
    "truncated.fails.csv",
    "line 3 is truncated",
    "http_req_duration,1795608149500000,1.2",
    "k6 stopped mid-write",
  ]);
});

test("analyzeK6File: an empty file has no samples to judge", async () => {
  await fails(() => analyzeK6File(fixture("empty.fails.csv"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["empty.fails.csv", "k6 wrote no samples"]);
});

test("analyzeK6File: malformed lines are refused with their line number (CSV and JSON, plain and gzip)", async () => {
  await fails(() => analyzeK6File(fixture("wrong-columns.fails.csv"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["wrong-columns.fails.csv", "line 3", "expected 9 columns, found 8"]);
  await fails(() => analyzeK6File(fixture("not-a-number.fails.csv"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["not-a-number.fails.csv", "line 4", '"fast"']);
  await fails(() => analyzeK6File(fixture("bad-json.fails.json"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["bad-json.fails.json", "line 5", "not valid JSON"]);
  await fails(() => analyzeK6File(fixture("bad-time.fails.json"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["bad-time.fails.json", "line 3", "not RFC 3339"]);
  await fails(() => analyzeK6File(fixture("no-value.fails.json"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["no-value.fails.json", "line 3", "data.value (number)"]);
  const gz = path.join(tmp, "wrong-columns.csv.gz");
  writeFileSync(gz, gzipSync(readFileSync(fixture("wrong-columns.fails.csv"))));
  await fails(() => analyzeK6File(gz, SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["wrong-columns.csv.gz", "line 3", "expected 9 columns"]);
});

test("analyzeK6File: a cut gzip stream and a missing file cannot be judged", async () => {
  const whole = gzipSync(readFileSync(fixture("flood.csv")));
  const cut = path.join(tmp, "cut.csv.gz");
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  await fails(() => analyzeK6File(cut, SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["cut.csv.gz", "unexpected end of file"]);
  await fails(() => analyzeK6File(path.join(tmp, "absent.csv"), SCENARIO), "GAUNTLET_K6_OUTPUT_INVALID", ["absent.csv", "no such file"]);
});

test("K6OutputFollower: follows a growing file (created late, lines cut between polls) to the same digest", async () => {
  const file = path.join(tmp, "live.csv");
  const whole = readFileSync(fixture("flood.csv"), "utf8");
  const cutAt = whole.indexOf("http_req_duration,1795608149500000") + 20; // inside line 8
  const follower = follow(file);
  follower.start(5);
  await sleep(20); // k6 has not created the file yet: not an error
  assert.is(follower.error, undefined);
  writeFileSync(file, whole.slice(0, 30)); // half a header
  await sleep(20);
  appendFileSync(file, whole.slice(30, cutAt));
  await until(() => follower.digest.requests === 1, "the first flood request");
  assert.is(follower.digest.answered.size, 1);
  appendFileSync(file, whole.slice(cutAt));
  const result = follower.finish();
  assertFloodCsv(result);
});

test("K6OutputFollower: a partial line at finish() is reported as truncated", async () => {
  const file = path.join(tmp, "live-truncated.csv");
  writeFileSync(file, `${HEADER}\nhttp_req_duration,1795608149123456,0.812345,,true,decision-flood,200,,decision_id=42\n`);
  const follower = follow(file);
  follower.start(5);
  await until(() => follower.digest.requests === 1, "the complete line");
  appendFileSync(file, "http_req_duration,17956081495");
  await fails(() => follower.finish(), "GAUNTLET_K6_OUTPUT_INVALID", ["live-truncated.csv", "line 3 is truncated", "http_req_duration,17956081495"]);
});

test("K6OutputFollower: a malformed line and a file never written are reported at finish()", async () => {
  const bad = path.join(tmp, "live-bad.csv");
  writeFileSync(bad, readFileSync(fixture("wrong-columns.fails.csv")));
  await fails(() => new K6OutputFollower(bad, SCENARIO).finish(), "GAUNTLET_K6_OUTPUT_INVALID", ["live-bad.csv", "line 3", "expected 9 columns"]);
  const never = path.join(tmp, "never.csv");
  await fails(() => new K6OutputFollower(never, SCENARIO).finish(), "GAUNTLET_K6_OUTPUT_INVALID", ["never.csv", "k6 wrote no samples"]);
});

test.run();
