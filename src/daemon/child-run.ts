import { spawn } from 'node:child_process';

/** How a child run ended. */
export interface ChildResult {
  /** Exit code, or null when a signal ended it (or it never started). */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What it printed on stdout (capped at {@link STDOUT_LIMIT} bytes). */
  readonly stdout: string;
  /** Set when the process could not be started. */
  readonly error: Error | null;
}

export interface RunningChild {
  readonly pid: number | null;
  /** Sends a signal; a no-op once the child has exited. */
  kill(signal: NodeJS.Signals): void;
  readonly done: Promise<ChildResult>;
}

/** Starts one run. */
export type ChildRunner = () => RunningChild;

/** `sync --json` prints one small object; anything past this is dropped, not buffered. */
export const STDOUT_LIMIT = 1024 * 1024;

export interface ChildRunnerOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `command args` as a child process each time it is called: stdout is collected (for the
 * run's JSON summary), stderr goes to the daemon's stderr. The child gets its own process
 * group, so a Ctrl-C at the terminal reaches only the daemon, which forwards it once.
 *
 * @example
 * const runSync = createChildRunner(process.execPath, ['bin/tiersync.js', 'sync', '--json']);
 * const { exitCode, stdout } = await runSync().done;
 */
export function createChildRunner(command: string, args: readonly string[], options: ChildRunnerOptions = {}): ChildRunner {
  return () => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < STDOUT_LIMIT) stdout += chunk.slice(0, STDOUT_LIMIT - stdout.length);
    });
    let exited = false;
    const done = new Promise<ChildResult>((resolve) => {
      child.once('error', (error) => {
        exited = true;
        resolve({ exitCode: null, signal: null, stdout, error });
      });
      // 'close' (not 'exit') so that stdout is complete.
      child.once('close', (exitCode, signal) => {
        exited = true;
        resolve({ exitCode, signal, stdout, error: null });
      });
    });
    return {
      pid: child.pid ?? null,
      kill(signal) {
        if (!exited && child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
      done,
    };
  };
}
