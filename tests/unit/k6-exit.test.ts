// A k6 that refuses a script or dies says why in its log; the error Gauntlet raises repeats it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { k6ExitError } from "../../core/orchestrator/k6-runner.ts";
import { tempDir } from "../support/cli.ts";

test("k6's exit code is named and its last error line quoted", () => {
  const log = join(tempDir(), "k6.log");
  writeFileSync(
    log,
    'time="2026-12-01T12:49:55Z" level=warning msg="something harmless"\n' +
      'time="2026-12-01T12:49:55Z" level=error msg="There were problems with the specified script configuration:\\n\\t- scenario steady has configuration errors: the iteration rate isn\'t specified"\n',
  );
  const error = k6ExitError(104, log);
  assert.is(error.code, "GAUNTLET_K6_FAILED");
  assert.is(
    error.message,
    `k6 exited with 104 (invalid configuration): There were problems with the specified script configuration: - scenario steady has configuration errors: the iteration rate isn't specified; see ${log}`,
  );
});

test("no log, or nothing at level error: the code and its meaning only", () => {
  assert.is(k6ExitError(107, "/nonexistent/k6.log").message, "k6 exited with 107 (script exception); see /nonexistent/k6.log");
  assert.is(k6ExitError("SIGKILL", "/nonexistent/k6.log").message, "k6 exited with SIGKILL (killed by SIGKILL); see /nonexistent/k6.log");
});

test.run();
