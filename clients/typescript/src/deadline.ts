/** A point in time a call must end by, in epoch milliseconds (what grpc-js sends as grpc-timeout). */
export class Deadline {
  private constructor(readonly at: number) {}

  static after(millis: number): Deadline {
    return new Deadline(Date.now() + millis);
  }

  remainingMs(): number {
    return this.at - Date.now();
  }

  /** Whether a wait of `millis` starting now ends before the deadline. */
  allowsWait(millis: number): boolean {
    return millis < this.remainingMs();
  }
}
