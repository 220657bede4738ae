import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/** A real `swinserve serve` this runner started, on loopback; always stop() it. */
export class ServerProcess {
  readonly logFile: string;
  private process: ChildProcess | undefined;
  private portValue = 0;
  private readonly folder = mkdtempSync(join(tmpdir(), "swinserve-ts-conformance-"));

  constructor(
    private readonly serve: string,
    private readonly repository: string,
    private readonly readyWithinMs: number,
    /** Arguments before the usual ones, e.g. `--config server.yaml`. */
    private readonly extraArgs: readonly string[] = [],
  ) {
    this.logFile = join(this.folder, "server.log");
  }

  /** Another server of the same build and repository, with `extraArgs`; not started. */
  sibling(extraArgs: readonly string[]): ServerProcess {
    return new ServerProcess(this.serve, this.repository, this.readyWithinMs, extraArgs);
  }

  get port(): number {
    return this.portValue;
  }

  get target(): string {
    return `127.0.0.1:${this.portValue}`;
  }

  /** Starts it on `port` (0: any free port) and waits until it has written its port. */
  async start(port = 0): Promise<void> {
    const portFile = join(this.folder, `port-${Date.now()}`);
    const log = openSync(this.logFile, "a");
    const args = [
      ...this.extraArgs,
      "--model-repository",
      this.repository,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--port-file",
      portFile,
    ];
    const child = spawn(this.serve, args, { stdio: ["ignore", log, log] });
    closeSync(log);
    this.process = child;
    // Should this runner die without its after() hook, the server must not outlive it.
    const orphaned = () => child.kill("SIGKILL");
    process.once("exit", orphaned);
    child.once("exit", () => process.off("exit", orphaned));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => (exitCode = code));
    const until = Date.now() + this.readyWithinMs;
    while (Date.now() < until) {
      if (exitCode !== undefined) {
        throw new Error(`the server exited (${exitCode}) before it was ready; its log: ${this.logFile}`);
      }
      if (existsSync(portFile)) {
        const text = readFileSync(portFile, "utf8").trim();
        if (/^\d+$/.test(text)) {
          this.portValue = Number(text);
          return;
        }
      }
      await sleep(50);
    }
    await this.stop();
    throw new Error(`the server was not ready within ${this.readyWithinMs} ms; its log: ${this.logFile}`);
  }

  /** Ends it at once (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL", 10_000);
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (!(await this.signal("SIGTERM", 10_000))) {
      await this.signal("SIGKILL", 10_000);
    }
  }

  /** Removes the folder with the port files and the log (when no test failed). */
  removeFiles(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }

  /** Whether the process was gone within `waitMs` of the signal. */
  private async signal(signal: NodeJS.Signals, waitMs: number): Promise<boolean> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      return true;
    }
    const gone = new Promise<boolean>((resolve) => child.once("exit", () => resolve(true)));
    child.kill(signal);
    const ended = await Promise.race([gone, sleep(waitMs).then(() => false)]);
    if (ended) {
      this.process = undefined;
    }
    return ended;
  }
}
