import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AesKey, deriveAesKey } from '../wecom/index.js';
import { ENV, SECRET_KEYS } from './constants.js';
import { requireEnv } from './env.js';
import { ConfigError } from './errors.js';

/** What a callback route needs to authenticate and decrypt: the corp, the token and the AES key. */
export interface CallbackKeys {
  readonly corpId: string;
  readonly token: string;
  readonly aes: AesKey;
}

/**
 * Loads the callback keys: from the Secrets Manager secret named by WECOM_SECRET_ARN when set
 * (AWS), else from WECOM_TOKEN and WECOM_ENCODING_AES_KEY (local mode). The corp always comes
 * from WECOM_CORP_ID.
 */
export async function loadCallbackKeys(
  env: NodeJS.ProcessEnv,
  secrets: () => Promise<SecretsManagerClient>,
): Promise<CallbackKeys> {
  const corpId = requireEnv(ENV.corpId, env);
  const secretArn = env[ENV.secretArn]?.trim();
  if (!secretArn) {
    return keysFrom(corpId, requireEnv(ENV.token, env), requireEnv(ENV.encodingAesKey, env), 'environment');
  }
  // Loaded only when a secret is configured: local mode never pays for the Secrets Manager client.
  const [client, { GetSecretValueCommand }] = await Promise.all([
    secrets(),
    import('@aws-sdk/client-secrets-manager'),
  ]);
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  let document: unknown;
  try {
    document = JSON.parse(result.SecretString ?? '');
  } catch (cause) {
    throw new ConfigError(`secret ${ENV.secretArn} does not hold a JSON document`, { cause });
  }
  const values = (typeof document === 'object' && document !== null ? document : {}) as Record<
    string,
    unknown
  >;
  const token = values[SECRET_KEYS.token];
  const key = values[SECRET_KEYS.encodingAesKey];
  if (typeof token !== 'string' || token === '') {
    throw new ConfigError(`secret ${ENV.secretArn} has no "${SECRET_KEYS.token}"`);
  }
  if (typeof key !== 'string')
    throw new ConfigError(`secret ${ENV.secretArn} has no "${SECRET_KEYS.encodingAesKey}"`);
  return keysFrom(corpId, token, key, `secret ${ENV.secretArn}`);
}

function keysFrom(corpId: string, token: string, encodingAesKey: string, origin: string): CallbackKeys {
  try {
    return { corpId, token, aes: deriveAesKey(encodingAesKey) };
  } catch (cause) {
    throw new ConfigError(`${ENV.encodingAesKey} from ${origin} must be 43 characters of [A-Za-z0-9]`, {
      cause,
    });
  }
}
