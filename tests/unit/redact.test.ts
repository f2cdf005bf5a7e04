// No credential reaches a terminal, a log, the audit log or a report — and redaction never
// mangles what it does not hide (the audit log must stay valid JSON).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { redact } from "../../core/log.ts";

test("passwords in URLs and key=value pairs are hidden", () => {
  assert.is(redact("postgres://gauntlet:s3cret@127.0.0.1:5432/db"), "postgres://gauntlet:***@127.0.0.1:5432/db");
  assert.is(redact("redis://:hunter2@10.0.0.5:6379"), "redis://:hunter2@10.0.0.5:6379".replace("hunter2", "***"));
  assert.is(redact("PGPASSWORD=abc123 psql"), "PGPASSWORD=*** psql");
  assert.is(redact('{"password":"abc"}'), '{"password":"***"}');
});

test("a host:port followed later by another URL's user@ is not a password: JSON stays intact", () => {
  const event = JSON.stringify({ baseUrl: "http://127.0.0.1:44133", ledger: { url: "postgres://gauntlet@127.0.0.1:42165/gauntlet" } });
  assert.is(redact(event), event);
  assert.equal(JSON.parse(redact(event)), JSON.parse(event));
});

test("secrets in a URL's query are hidden, the rest of the URL kept", () => {
  assert.is(redact("POST https://hooks.example.com/hook?token=abc123&channel=ci"), "POST https://hooks.example.com/hook?token=***&channel=ci");
  assert.is(redact("http://127.0.0.1:9100/x?a=1&api_key=k&sig=s#top"), "http://127.0.0.1:9100/x?a=1&api_key=***&sig=***#top");
  assert.is(redact("--set flash-crash.key=value"), "--set flash-crash.key=value", "not a query");
});

test.run();
