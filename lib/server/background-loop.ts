/**
 * A loop that runs in the background until stopped, and whose waits a stop cuts short: the
 * worker's passes and the history writer's evaluations. The body checks `stopping` between
 * steps and waits with `sleep`; `stop()` resolves once the body has returned, so statements in
 * flight finish (commit or roll back) first.
 */
export class BackgroundLoop {
  private stopRequested = false;
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly body: () => Promise<void>) {}

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Starts the body in the background; resolves at once. A second start while running does nothing. */
  start(): void {
    if (this.running) return;
    this.stopRequested = false;
    this.running = this.body();
  }

  /** The body ends after its current step (it sees `stopping`); no waiting for it. */
  requestStop(): void {
    this.stopRequested = true;
    this.wake?.();
  }

  /** Ends any wait, then resolves when the body has returned. Idempotent. */
  async stop(): Promise<void> {
    this.requestStop();
    await this.running;
    this.running = undefined;
  }

  /** Resolves after `ms`, or at once when stopping (or as soon as a stop comes). */
  sleep(ms: number): Promise<void> {
    if (this.stopRequested || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
