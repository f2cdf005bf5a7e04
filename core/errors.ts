// Every user-facing failure has a code, a one-line title, a hint and an exit code, kept in this
// one table. docs/errors.md is generated from it (`gauntlet errors --markdown`) and a contract
// test fails when the two drift apart.
//
// Exit codes follow k6's spirit: 0 every gate passed, 1 a gate failed (the system under test is
// at fault), 2 Gauntlet could not judge (bad input, missing tool, broken environment).

import { DataError } from "../data/errors.ts";

export const EXIT = { pass: 0, gateFailed: 1, couldNotJudge: 2 } as const;

interface ErrorSpec {
  title: string;
  hint: string;
  exit: 0 | 1 | 2;
}

export const ERRORS = {
  GAUNTLET_USAGE: {
    title: "a command-line value is not one Gauntlet accepts",
    hint: "Run the command with --help to see the accepted values.",
    exit: 2,
  },
  GAUNTLET_CONFIG_INVALID: {
    title: "a configuration file or value does not match its schema",
    hint: "The message names the file, the field and what was expected; schemas/ holds the JSON Schemas.",
    exit: 2,
  },
  GAUNTLET_PLUGIN_INVALID: {
    title: "a plugin could not be registered",
    hint: "Check the plugin's name, its dependsOn list and its configuration.",
    exit: 2,
  },
  GAUNTLET_TOOL_MISSING: {
    title: "a required tool is not installed and could not be built",
    hint:
      "Install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) and Toxiproxy " +
      "(https://github.com/Shopify/toxiproxy/releases) on PATH, or install Go >= 1.25 so that " +
      "`gauntlet setup` builds the pinned versions itself.",
    exit: 2,
  },
  GAUNTLET_TOOL_BUILD_FAILED: {
    title: "building a pinned tool from source failed",
    hint: "The build log named in the message has Go's own error; check the Go module proxy is reachable.",
    exit: 2,
  },
  GAUNTLET_SERVICE_START_FAILED: {
    title: "a service Gauntlet starts did not come up",
    hint: "Its log file in the run folder says why; `gauntlet doctor` checks the binaries.",
    exit: 2,
  },
  GAUNTLET_PORT_IN_USE: {
    title: "a port Gauntlet needs is already taken",
    hint: "Stop what listens there, or choose another port with the flag the message names.",
    exit: 2,
  },
  GAUNTLET_TARGET_NOT_SHADOW: {
    title: "the target did not declare itself a shadow instance",
    hint: "GET /v1/health must answer {\"mode\":\"shadow\"}. Gauntlet never drives a production governor.",
    exit: 2,
  },
  GAUNTLET_TARGET_NOT_LOOPBACK: {
    title: "a target host is not on loopback",
    hint: "Pass --allow-host <host> to drive a non-loopback host on purpose.",
    exit: 2,
  },
  GAUNTLET_TARGET_UNREACHABLE: {
    title: "the target did not answer",
    hint: "Check the URL and that the service is up; `gauntlet doctor --target <url>` probes it.",
    exit: 2,
  },
  GAUNTLET_TARGET_NOT_CONNECTED: {
    title: "the governor did not connect to the venue Gauntlet provisioned",
    hint: "Connect the governor to the addresses in the message (order entry and market data), retrying while they are down; docs/venue-protocol.md.",
    exit: 2,
  },
  GAUNTLET_TARGET_CONTRACT: {
    title: "the target answered outside the target contract",
    hint: "The message names the route, the field and the expected form; `gauntlet doctor --target <url>` probes every route; docs/target-contract.md.",
    exit: 2,
  },
  GAUNTLET_PREFLIGHT_FAILED: {
    title: "a pre-flight guard failed",
    hint: "Run `gauntlet doctor` for the full list of checks and what to fix.",
    exit: 2,
  },
  GAUNTLET_K6_FAILED: {
    title: "k6 ended in a way that leaves the run unjudgeable",
    hint: "k6's own log (k6.log in the run folder) has the reason; exit codes 0 and 99 are the only judgeable ones.",
    exit: 2,
  },
  GAUNTLET_K6_OUTPUT_INVALID: {
    title: "k6's output file is truncated or malformed",
    hint: "A k6 process killed mid-run leaves a partial last line; rerun the scenario.",
    exit: 2,
  },
  GAUNTLET_DATA_MISSING: {
    title: "a data file the run needs is missing",
    hint: "Bundled samples live in data/samples; a path in the config is relative to the working directory.",
    exit: 2,
  },
  GAUNTLET_DATA_INVALID: {
    title: "a market-data file has bad content",
    hint: "The message names the file, the line and the field.",
    exit: 2,
  },
  GAUNTLET_PROFILE_INVALID: {
    title: "a toxic profile does not match its schema",
    hint: "`gauntlet toxics check <profile>` validates a profile without applying it.",
    exit: 2,
  },
  GAUNTLET_TOXIPROXY_API: {
    title: "Toxiproxy's API refused or timed out",
    hint: "Check toxiproxy-server is up (GET /version) and the proxy exists; faults are cleared on exit.",
    exit: 2,
  },
  GAUNTLET_VENUE_FAULT_API: {
    title: "the venue's fault API refused or timed out",
    hint: "Venue protocol faults need the venue Gauntlet provisions (its admin URL); a venue reset removes every one of them.",
    exit: 2,
  },
  GAUNTLET_NOT_JUDGEABLE: {
    title: "the run produced too little evidence to judge a gate",
    hint: "A service stopped or too few samples were taken; the message names the gate.",
    exit: 2,
  },
  GAUNTLET_INTERRUPTED: {
    title: "the run was interrupted",
    hint: "Faults were removed and services stopped; nothing was judged.",
    exit: 2,
  },
  GAUNTLET_INTERNAL: {
    title: "an internal error",
    hint: "This is a Gauntlet bug: please report it with the run folder's gauntlet.log.",
    exit: 2,
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** A failure meant for the user: printed as `CODE — message` plus the hint, never a stack. */
export class GauntletError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly exitCode: 0 | 1 | 2;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GauntletError";
    this.code = code;
    this.hint = options?.hint ?? ERRORS[code].hint;
    this.exitCode = ERRORS[code].exit;
  }

  /** The two lines a user sees. */
  format(): string {
    return `${this.code} — ${this.message}\n  Hint: ${this.hint}`;
  }
}

export function isGauntletError(error: unknown): error is GauntletError {
  return error instanceof GauntletError;
}

/**
 * A user-facing failure from any layer as a GauntletError: itself, or a DataError raised by the
 * market-data readers (data/ sits below core and cannot use the table). Undefined for a bug.
 */
export function asGauntletError(error: unknown): GauntletError | undefined {
  if (error instanceof GauntletError) return error;
  if (error instanceof DataError) return new GauntletError(error.code, error.message, { hint: error.hint, cause: error });
  return undefined;
}

/** What went wrong reaching `url`, in words: "connection refused at 127.0.0.1:7300", not "fetch failed". */
export function describeFetchError(url: string, error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  let where = url;
  try {
    where = new URL(url).host;
  } catch {
    // keep the raw text
  }
  const code = cause?.code ?? (error as { name?: string }).name;
  if (code === "ECONNREFUSED") return `connection refused at ${where} (nothing listens there)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host of ${where} not found`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `connection reset by ${where}`;
  if (code === "TimeoutError" || code === "UND_ERR_CONNECT_TIMEOUT") return `no answer from ${where} in time`;
  return `${cause?.message ?? (error as Error).message} (${where})`;
}

/** The error table as Markdown, for docs/errors.md. */
export function errorTableMarkdown(): string {
  const rows = Object.entries(ERRORS).map(
    ([code, spec]) => `| \`${code}\` | ${spec.exit} | ${spec.title} | ${spec.hint.replaceAll("|", "\\|")} |`,
  );
  return [
    "# Errors",
    "",
    "Generated from `core/errors.ts` by `gauntlet errors --markdown`; a test keeps the two in sync.",
    "",
    "Exit codes: 0 every gate passed · 1 a gate failed · 2 Gauntlet could not judge.",
    "",
    "| code | exit | what happened | hint |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
