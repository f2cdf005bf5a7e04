// The audit log of a run (runs/<id>/events.ndjson): every phase, service, fault change, alert and
// verdict, timestamped on one clock. Appended synchronously so that a crash still leaves the
// events that led up to it.
import { appendFileSync, writeFileSync } from "node:fs";
import { redact } from "../log.ts";

export interface RunEvent {
  at: string;
  ms: number;
  kind: string;
  [field: string]: unknown;
}

export class EventLog {
  count = 0;

  constructor(readonly path: string) {
    writeFileSync(path, "");
  }

  emit(kind: string, fields: Record<string, unknown> = {}): RunEvent {
    const ms = Date.now();
    // The envelope wins over a field of the same name.
    const event: RunEvent = { ...fields, at: new Date(ms).toISOString(), ms, kind };
    appendFileSync(this.path, `${redact(JSON.stringify(event))}\n`);
    this.count++;
    return event;
  }
}
