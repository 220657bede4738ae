import { Status, SwinserveError } from "../errors.js";

/** The waits of one client (retry backoffs, stream reconnections), all ended by close(). */
export class Scheduler {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  /** Resolves after `millis`; rejects with CANCELLED if the client closes first. */
  sleep(millis: number): Promise<void> {
    if (this.closed) {
      return Promise.reject(closedError());
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, millis);
      this.pending.set(timer, () => reject(closedError()));
    });
  }

  close(): void {
    this.closed = true;
    for (const [timer, cancel] of this.pending) {
      clearTimeout(timer);
      cancel();
    }
    this.pending.clear();
  }
}

function closedError(): SwinserveError {
  return new SwinserveError(Status.CANCELLED, "the client was closed");
}
