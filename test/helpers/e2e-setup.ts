import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { E2E_KEYS, E2eClient } from './e2e-client.js';
import { type LocalProcess, startLocalProcess } from './local-process.js';

/** Starting `npm start` for the e2e tests: one process per call, or one per test file. */

export { FAITHFUL_POLICY_FILE } from './local-process.js';

/** A running `npm start` and its client. */
export interface E2eLocal {
  readonly process: LocalProcess;
  readonly client: E2eClient;
  readonly dataDir: string;
  readonly corpId: string;
}

/** How an e2e process starts: on a given DATA_DIR (a restart), with a given POLICY_FILE. */
export interface E2eStartOptions {
  readonly dataDir?: string;
  readonly policyFile?: string;
}

/**
 * Starts `npm start` (through `startLocalProcess`) for `corpId`, with the e2e keys, on a fresh
 * DATA_DIR unless one is given (a restart passes the previous one), and the built-in policy unless
 * a POLICY_FILE is given.
 */
export async function startE2e(corpId: string, options: E2eStartOptions = {}): Promise<E2eLocal> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'wecom-e2e-'));
  const process = await startLocalProcess({
    WECOM_CORP_ID: corpId,
    WECOM_TOKEN: E2E_KEYS.token,
    WECOM_ENCODING_AES_KEY: E2E_KEYS.encodingAesKey,
    ADMIN_TOKEN: E2E_KEYS.adminToken,
    POLICY_FILE: options.policyFile ?? '',
    DATA_DIR: dataDir,
  });
  return { process, client: new E2eClient(process.url, corpId), dataDir, corpId };
}

/** The pipeline a test file shares: its client, usable in tests and hooks once `beforeAll` has run. */
export interface LocalPipeline {
  readonly client: E2eClient;
  /** The running process; throws outside tests and hooks. */
  readonly local: E2eLocal;
}

/**
 * Starts `npm start` for `corpId` before the file's tests (`beforeAll`) and stops it after them
 * (`afterAll`); the options may be a function, called in `beforeAll`, when making them has side
 * effects (a policy file to write). Hooks the file registers after this call run after the start
 * and before the stop.
 */
export function useLocalPipeline(
  corpId: string,
  options: E2eStartOptions | (() => E2eStartOptions) = {},
): LocalPipeline {
  let local: E2eLocal | undefined;
  const running = (): E2eLocal => {
    if (!local)
      throw new Error(`npm start for ${corpId} is not running: use the pipeline in a test or a hook`);
    return local;
  };
  beforeAll(async () => {
    local = await startE2e(corpId, typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await local?.process.stop();
  });
  return {
    // A client made now, reading the URL at each request, so a test file can name it at module scope.
    client: new E2eClient(() => running().process.url, corpId),
    get local() {
      return running();
    },
  };
}
