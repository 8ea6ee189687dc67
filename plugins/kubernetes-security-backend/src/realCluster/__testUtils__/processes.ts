import { ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port the kernel just handed out on loopback, released for the caller. */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new Error('no port assigned')),
      );
    });
  });
}

const running = new Set<ChildProcess>();
let exitHandlerInstalled = false;

/**
 * Last resort when a test run dies without reaching its cleanup: nothing
 * asynchronous runs in an `exit` handler, so kill each process by its PID.
 */
function installExitHandler() {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });
}

/** A background process whose stdout and stderr go to a log file. */
export class LoggedProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly logFile: string,
    private readonly exited: Promise<void>,
  ) {}

  static start(name: string, command: string, args: string[], logFile: string) {
    installExitHandler();
    const log = openSync(logFile, 'a');
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    running.add(child);
    const exited = new Promise<void>(resolveExit => {
      child.once('exit', () => {
        running.delete(child);
        resolveExit();
      });
      child.once('error', () => {
        running.delete(child);
        resolveExit();
      });
    });
    return new LoggedProcess(name, child, logFile, exited);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why the process is no longer running, or undefined while it runs. */
  get exitReason(): string | undefined {
    if (this.child.exitCode !== null)
      return `${this.name} exited with code ${this.child.exitCode}`;
    if (this.child.signalCode !== null)
      return `${this.name} was killed by ${this.child.signalCode}`;
    return this.child.pid === undefined
      ? `${this.name} could not be started`
      : undefined;
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM by PID, SIGKILL if it is still there after the grace period. */
  async stop(graceMs = 5_000): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.exitReason) return;
    process.kill(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>(resolveTimeout => {
      timer = setTimeout(() => resolveTimeout(true), graceMs);
    });
    const killed = await Promise.race([
      this.exited.then(() => false),
      timedOut,
    ]);
    clearTimeout(timer);
    if (killed && !this.exitReason) {
      process.kill(pid, 'SIGKILL');
      await this.exited;
    }
  }
}
