// A small logger for the CLI and orchestrator. Everything it writes goes through `redact`, so a
// connection string with a password never reaches a terminal, a log file or a report.
import { appendFileSync } from "node:fs";
import { currentRunScope } from "./run-scope.ts";

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // scheme://user:password@host  →  scheme://user:***@host
  // (the password cannot span a "/", a quote or a comma: a host:port followed later by another
  // URL's "@" is not a password)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@"',]*:)[^@\s/"',]+@/gi, "$1***@"],
  // password=..., PGPASSWORD=..., "password":"..."
  [/((?:pg)?password"?\s*[=:]\s*"?)[^"\s&,]+/gi, "$1***"],
  // ?token=..., &api_key=..., &sig=... in a URL's query (webhooks, signed URLs)
  [/([?&](?:access_token|token|api_key|apikey|key|secret|sig|signature|auth)=)[^&#\s"',]+/gi, "$1***"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

let threshold: Level = (process.env.GAUNTLET_LOG_LEVEL as Level | undefined) ?? "info";
let logFile: string | undefined;

export function setLogLevel(level: Level): void {
  threshold = level;
}

/**
 * Mirror every line (all levels) into a file, e.g. runs/<id>/gauntlet.log: the current run's
 * (core/run-scope.ts) when there is one, so runs side by side each keep their own log.
 */
export function setLogFile(path: string | undefined): void {
  const scope = currentRunScope();
  if (scope) scope.logFile = path;
  else logFile = path;
}

function write(level: Level, message: string): void {
  const line = redact(message);
  const scope = currentRunScope();
  const file = scope ? scope.logFile : logFile;
  if (file) appendFileSync(file, `${new Date().toISOString()} ${level.padEnd(5)} ${line}\n`);
  if (ORDER[level] < ORDER[threshold]) return;
  const shown = scope?.logPrefix ? line.replace(/^(\n*)/, `$1${scope.logPrefix}`) : line;
  process.stderr.write(level === "info" ? `${shown}\n` : `${level}: ${shown}\n`);
}

export const log = {
  debug: (message: string) => write("debug", message),
  info: (message: string) => write("info", message),
  warn: (message: string) => write("warn", message),
  error: (message: string) => write("error", message),
};
