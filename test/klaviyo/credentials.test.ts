import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, RetriableError } from '../../src/errors.ts';
import { createKlaviyoClient } from '../../src/klaviyo/client.ts';
import { createKlaviyoSandbox, type KlaviyoSandbox } from '../../src/sandbox/klaviyo/server.ts';
import { closedPort } from '../helpers/closed-port.ts';

// Built at run time so that no key-shaped literal sits in the repository.
const RIGHT_KEY = `pk_${'ab12'.repeat(8)}`;
const noWait = { now: () => 0, sleep: async () => undefined, random: () => 0.5 };

describe('a bad Klaviyo key, as the emulator answers it, is a credential problem for tiersync', () => {
  let sandbox: KlaviyoSandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = createKlaviyoSandbox({ apiKey: RIGHT_KEY, seed: 3 });
    base = await sandbox.listen(0);
  });
  afterAll(() => sandbox.close());

  it('a wrong private key (401) and a public key (400) are both AuthErrors, sent once', async () => {
    for (const [apiKey, status] of [[`pk_${'cd34'.repeat(8)}`, 401], ['AbC123', 400]] as const) {
      const klaviyo = createKlaviyoClient({ apiKey, baseUrl: base, ...noWait });
      const error = await klaviyo.findList('tiersync: VIP').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).status).toBe(status);
      expect((error as AuthError).message).toMatch(/KLAVIYO_API_KEY/);
      expect((error as AuthError).message).not.toContain(apiKey);
      expect(klaviyo.stats().requests.get_lists).toBe(1);
    }
  });

  it('a refused connection names the errno and the address', async () => {
    const port = await closedPort();
    const klaviyo = createKlaviyoClient({ apiKey: RIGHT_KEY, baseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1, ...noWait });
    const error = await klaviyo.findList('tiersync: VIP').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableError);
    expect((error as Error).message).toMatch(new RegExp(`ECONNREFUSED \\(errno -\\d+\\) connecting to 127\\.0\\.0\\.1:${port}`));
  });
});
