import { ENV } from '../shared/config/index.js';

/** Development values used when a variable is not set; printed at start so a replay can use them. */
export const DEV_DEFAULTS = {
  [ENV.corpId]: 'wwlocaldev00000001',
  [ENV.token]: 'localDevCallbackToken',
  [ENV.encodingAesKey]: 'wecomEnforcementLocalDevelopmentKey00000000',
  ADMIN_TOKEN: 'local-admin-token',
  // The console's narrower groups, to try them locally (on AWS they are the user pool's groups).
  REVIEWER_TOKEN: 'local-reviewer-token',
  VIEWER_TOKEN: 'local-viewer-token',
  PORT: '3000',
  DATA_DIR: '.data/',
} as const;

/** The local configuration: each CONTRACT §2 variable from the environment, else its dev default. */
export interface LocalConfig {
  readonly corpId: string;
  readonly token: string;
  readonly encodingAesKey: string;
  readonly adminToken: string;
  /** Bearer token of a person in the console's `reviewer` group (reads, decides cases and appeals). */
  readonly reviewerToken: string;
  /** Bearer token of a person in the console's `viewer` group (reads only). */
  readonly viewerToken: string;
  readonly port: number;
  readonly dataDir: string;
  readonly policyFile: string | undefined;
  /** Names of the variables that fell back to their dev default. */
  readonly defaulted: readonly (keyof typeof DEV_DEFAULTS)[];
}

/** Reads the local configuration from `env`, falling back to the dev defaults. */
export function readLocalConfig(env: NodeJS.ProcessEnv = process.env): LocalConfig {
  const defaulted: (keyof typeof DEV_DEFAULTS)[] = [];
  const get = (name: keyof typeof DEV_DEFAULTS): string => {
    const value = env[name]?.trim();
    if (value) return value;
    defaulted.push(name);
    return DEV_DEFAULTS[name];
  };
  const port = Number(get('PORT'));
  const tokens = ['ADMIN_TOKEN', 'REVIEWER_TOKEN', 'VIEWER_TOKEN'] as const;
  const values = tokens.map((name) => env[name]?.trim() || DEV_DEFAULTS[name]);
  if (new Set(values).size !== values.length)
    throw new Error(`${tokens.join(', ')} must differ from one another`);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('PORT must be a port number');
  return {
    corpId: get(ENV.corpId),
    token: get(ENV.token),
    encodingAesKey: get(ENV.encodingAesKey),
    adminToken: get('ADMIN_TOKEN'),
    reviewerToken: get('REVIEWER_TOKEN'),
    viewerToken: get('VIEWER_TOKEN'),
    port,
    dataDir: get('DATA_DIR'),
    policyFile: env.POLICY_FILE?.trim() || undefined,
    defaulted,
  };
}
