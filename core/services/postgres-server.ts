// A private PostgreSQL cluster in the run folder (initdb + postgres on a loopback port).
//
// initdb and postgres refuse to run as root. When Gauntlet runs as root (CI machines do), the
// cluster directory is handed to the `postgres` system user and both commands run through
// `runuser`; on a user's laptop they simply run as that user. The instance is ephemeral, so it
// trades durability for speed (fsync off): the ledger's completeness is the governor's job and
// is checked through SQL, not through crash recovery.
import { chownSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { GauntletError } from "../errors.ts";
import { findPostgresBin } from "../tools/system-packages.ts";
import { runCommand, startProcess, waitUntilReady, type ManagedProcess } from "../process/child-process.ts";

export interface PostgresInstance {
  port: number;
  database: string;
  user: string;
  /** No password: trust authentication on loopback, so nothing secret ends up in a report. */
  url: string;
  process: ManagedProcess;
}

const USER = "gauntlet";
const DATABASE = "gauntlet";

async function systemUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  const uid = await runCommand("id", ["-u", name]);
  const gid = await runCommand("id", ["-g", name]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export async function startPostgres(dir: string, port: number): Promise<PostgresInstance> {
  const bin = findPostgresBin();
  if (!bin) throw new GauntletError("GAUNTLET_TOOL_MISSING", "PostgreSQL server binaries were not found; run `gauntlet setup`");
  const dataDir = join(dir, "data");
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  // As root, run as the `postgres` system user (Debian's packages create it). The processes are
  // spawned with that uid directly rather than through runuser: a wrapper would not pass our
  // stop signal on, and killing it would orphan the server.
  let user: { uid: number; gid: number } | undefined;
  if (process.getuid?.() === 0) {
    user = await systemUser("postgres");
    if (!user) {
      throw new GauntletError("GAUNTLET_SERVICE_START_FAILED", "running as root, but there is no `postgres` user to run PostgreSQL as");
    }
    chownSync(dir, user.uid, user.gid);
    chownSync(dataDir, user.uid, user.gid);
  }
  const env = { ...process.env, HOME: dir };

  const initResult = await runCommand(
    join(bin.dir, "initdb"),
    ["-D", dataDir, "-A", "trust", "-U", USER, "--no-sync", "-E", "UTF8", "--locale", "C"],
    { timeoutMs: 60000, env, ...user },
  );
  if (initResult.code !== 0) {
    throw new GauntletError("GAUNTLET_SERVICE_START_FAILED", `initdb failed: ${initResult.stderr.trim().split("\n").slice(-3).join(" ")}`);
  }

  const managed = startProcess({
    name: "postgres",
    command: join(bin.dir, "postgres"),
    args: [
    "-D", dataDir,
    "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=",
    "-c", "fsync=off",
    "-c", "synchronous_commit=off",
    "-c", "full_page_writes=off",
    "-c", "max_connections=100",
    ],
    logFile: join(dir, "postgres.log"),
    stopSignal: "SIGINT",
    env,
    ...user,
  });

  const adminUrl = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  await waitUntilReady(managed, async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query("select 1");
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  }, 30000);

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return { port, database: DATABASE, user: USER, url: `postgres://${USER}@127.0.0.1:${port}/${DATABASE}`, process: managed };
}
