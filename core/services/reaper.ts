// The reaper: a tiny detached shell loop started with each orchestrator. It waits for the
// orchestrator to die and, if it died without cleaning up (SIGKILL, a CI timeout), kills every
// process the orchestrator recorded (runs/.active/*.<pid>.pids) within a second — k6 stops loading
// the governor, and the run's own Toxiproxy, with every fault it held, goes with it. A normal end
// clears the records first, so the reaper then finds nothing to do.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { activeDir } from "./leftovers.ts";

let started = false;

const SCRIPT = `
parent="$1"; dir="$2"
while kill -0 "$parent" 2>/dev/null; do sleep 0.5; done
for f in "$dir"/*."$parent".pids; do
  [ -f "$f" ] || continue
  for pid in $(cat "$f"); do kill -9 "$pid" 2>/dev/null; done
done
`;

/** Start this process's reaper (once). */
export function ensureReaper(): void {
  if (started) return;
  started = true;
  const dir = activeDir();
  mkdirSync(dir, { recursive: true });
  // Detached, in its own process group, no pipes back: it must outlive us.
  const reaper = spawn("/bin/sh", ["-c", SCRIPT, "gauntlet-reaper", String(process.pid), dir], { detached: true, stdio: "ignore" });
  reaper.unref();
}
