import { existsSync } from 'node:fs';
import sparticuzChromium from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
// Offline, quiet Chromium: no first-run, sync, update or background fetches of its own.
const OFFLINE_ARGS = ['--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/**
 * A headless Chromium for the report's browser test, with nothing installed on the system: the
 * one `@sparticuz/chromium` ships inside its npm tarball (unpacked into the temp directory on
 * first use, with its fonts), else Debian's `/usr/bin/chromium` (`apt-get install chromium`)
 * where that package's binary does not run (another OS or CPU architecture).
 *
 * @example
 * const browser = await launchChromium();
 */
export async function launchChromium(): Promise<Browser> {
  let packaged: Error | null = null;
  try {
    const executablePath = await sparticuzChromium.executablePath();
    return await chromium.launch({ executablePath, args: [...sparticuzChromium.args, ...OFFLINE_ARGS] });
  } catch (error) {
    packaged = error as Error;
  }
  if (existsSync(DEBIAN_CHROMIUM)) {
    return chromium.launch({ executablePath: DEBIAN_CHROMIUM, args: ['--no-sandbox', '--disable-gpu', ...OFFLINE_ARGS] });
  }
  throw new Error(
    `no Chromium could be started: @sparticuz/chromium failed (${packaged.message}) and ${DEBIAN_CHROMIUM} is missing; ` +
      'run npm ci (it installs @sparticuz/chromium) or apt-get install -y chromium',
  );
}
