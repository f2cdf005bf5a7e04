// The critical pause: raised by hand (the emergency stop, POST /v1/admin/pause) or by the safety
// monitor (a double fault). While either holds, no order leaves the governor. The flag is mirrored
// to Redis at once — a checker samples it there.
import type { HotState } from "./hot-state.ts";

export class PauseControl {
  private manual: string | undefined;
  private auto: string | undefined;

  constructor(private readonly hotState: HotState) {}

  get paused(): boolean {
    return this.manual !== undefined || this.auto !== undefined;
  }

  get reason(): string {
    return this.manual ?? this.auto ?? "";
  }

  get autoPaused(): boolean {
    return this.auto !== undefined;
  }

  async setManual(paused: boolean, reason: string): Promise<void> {
    this.manual = paused ? reason || "manual" : undefined;
    await this.sync();
  }

  setAuto(paused: boolean, reason: string): void {
    this.auto = paused ? reason : undefined;
    void this.sync().catch(() => undefined);
  }

  reset(): void {
    this.manual = undefined;
    this.auto = undefined;
  }

  private sync(): Promise<void> {
    return this.hotState.setPaused(this.paused, this.reason);
  }
}
