// runs/<id>/: everything one run leaves behind (plan, k6 samples and log, service logs, events,
// results and reports). runs/latest points at the newest.
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { runsDir } from "../paths.ts";

export interface RunFolder {
  id: string;
  dir: string;
  servicesDir: string;
}

export function createRunFolder(scenario: string): RunFolder {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const id = `${stamp}-${scenario}-${randomBytes(2).toString("hex")}`;
  const dir = join(runsDir(), id);
  const servicesDir = join(dir, "services");
  mkdirSync(servicesDir, { recursive: true });
  const latest = join(runsDir(), "latest");
  rmSync(latest, { force: true });
  try {
    symlinkSync(id, latest);
  } catch {
    // A filesystem without symlinks only loses the convenience link.
  }
  return { id, dir, servicesDir };
}
