// A stand-in for `tiersync sync --json`, driven by its first argument:
//   hold        wait; on SIGUSR2 print a summary and exit 0; on SIGTERM/SIGINT print a
//               "stopped" summary and exit 143/130 (as a sync stopping after its batch does)
//   crash       print junk and exit 70 at once
//   ignore-term ignore SIGTERM and wait (until killed)
// Once its signal handlers are in place it tells the test, over TCP to 127.0.0.1 on
// FAKE_SYNC_READY_PORT, "ready <pid>": a signal sent earlier would hit Node's defaults.
import { connect } from 'node:net';

const mode = process.argv[2];
process.stderr.write(`fake sync ${process.pid}: ${mode}\n`);
const keepAlive = setInterval(() => {}, 1 << 30);
const finish = (summary, code) => {
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  clearInterval(keepAlive);
  process.exitCode = code;
};
if (mode === 'hold') {
  process.once('SIGUSR2', () => finish({ run_id: process.pid, operations: { tags_add: 3 } }, 0));
  process.once('SIGTERM', () => finish({ stopped_by: 'SIGTERM' }, 143));
  process.once('SIGINT', () => finish({ stopped_by: 'SIGINT' }, 130));
} else if (mode === 'crash') {
  process.stdout.write('not json\n');
  clearInterval(keepAlive);
  process.exitCode = 70;
} else if (mode === 'ignore-term') {
  process.on('SIGTERM', () => process.stderr.write('fake sync: ignoring SIGTERM\n'));
} else {
  throw new Error(`fake sync: unknown mode ${mode}`);
}
if (process.env.FAKE_SYNC_READY_PORT && mode !== 'crash') {
  const socket = connect(Number(process.env.FAKE_SYNC_READY_PORT), '127.0.0.1', () => socket.end(`ready ${process.pid}\n`));
}
