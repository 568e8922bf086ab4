import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCallbackKeys } from '../../../../shared/config/callback-keys.js';
import { memoizeAsync, requireEnv } from '../../../../shared/config/env.js';
import { ConfigError } from '../../../../shared/config/errors.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wecom-AbCdEf';
const secretsMock = mockClient(SecretsManagerClient);

afterEach(() => {
  secretsMock.reset();
});

const client = async () => new SecretsManagerClient({ region: 'us-east-1' });

describe('loadCallbackKeys', () => {
  it('reads token and key from the secret named by WECOM_SECRET_ARN, not from plain variables', async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: JSON.stringify({ token: 'secretToken', encodingAesKey: KEY }) });

    // Act
    const keys = await loadCallbackKeys(
      { WECOM_CORP_ID: 'wwcorp', WECOM_SECRET_ARN: ARN, WECOM_TOKEN: 'ignored' },
      client,
    );

    // Assess
    expect(keys.corpId).toBe('wwcorp');
    expect(keys.token).toBe('secretToken');
    expect(keys.aes.key).toEqual(Buffer.from(`${KEY}=`, 'base64'));
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('uses WECOM_TOKEN and WECOM_ENCODING_AES_KEY when no secret is configured (local mode)', async () => {
    // Act
    const keys = await loadCallbackKeys(
      { WECOM_CORP_ID: 'wwcorp', WECOM_TOKEN: 'plain', WECOM_ENCODING_AES_KEY: KEY },
      client,
    );

    // Assess
    expect(keys.token).toBe('plain');
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it.each([
    [{ WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: KEY }, /WECOM_CORP_ID/],
    [{ WECOM_CORP_ID: 'c', WECOM_ENCODING_AES_KEY: KEY }, /WECOM_TOKEN/],
    [{ WECOM_CORP_ID: 'c', WECOM_TOKEN: 't' }, /WECOM_ENCODING_AES_KEY/],
    [{ WECOM_CORP_ID: 'c', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'short' }, /WECOM_ENCODING_AES_KEY.*43/],
  ])('names the variable at fault: %j', async (env, message) => {
    // Act
    const loading = loadCallbackKeys(env, client);

    // Assess
    await expect(loading).rejects.toBeInstanceOf(ConfigError);
    await expect(loading).rejects.toThrow(message);
  });

  it('refuses a secret that is not JSON or lacks a key, naming what is missing but not the values', async () => {
    // Prepare
    secretsMock
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'token=abc' })
      .resolvesOnce({ SecretString: JSON.stringify({ token: 'sekrit' }) });
    const env = { WECOM_CORP_ID: 'wwcorp', WECOM_SECRET_ARN: ARN };

    // Act
    const notJson = loadCallbackKeys(env, client);
    const noKey = loadCallbackKeys(env, client);

    // Assess
    await expect(notJson).rejects.toThrow(/JSON/);
    await expect(noKey).rejects.toThrow(/encodingAesKey/);
    await expect(loadCallbackKeys(env, client)).rejects.not.toThrow(/sekrit/);
  });
});

describe('memoizeAsync', () => {
  it('loads once while it succeeds and tries again after a failure', async () => {
    // Prepare
    let calls = 0;
    const load = memoizeAsync(async () => {
      calls += 1;
      if (calls === 1) throw new Error('Secrets Manager unreachable');
      return calls;
    });

    // Act
    const first = load();
    await expect(first).rejects.toThrow('unreachable');
    const second = await load();
    const third = await load();

    // Assess
    expect([second, third, calls]).toEqual([2, 2, 2]);
  });
});

describe('requireEnv', () => {
  it('throws a ConfigError naming a missing or blank variable', () => {
    // Assess
    expect(() => requireEnv('EVENT_QUEUE_URL', {})).toThrow(/EVENT_QUEUE_URL/);
    expect(() => requireEnv('EVENT_QUEUE_URL', { EVENT_QUEUE_URL: '  ' })).toThrow(ConfigError);
    expect(requireEnv('EVENT_QUEUE_URL', { EVENT_QUEUE_URL: ' https://q ' })).toBe('https://q');
  });
});
