import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DEV_DEFAULTS, readLocalConfig } from '../../../local/config.js';
import { LOCAL_TABLE_NAME, startLocalMode } from '../../../local/local-mode.js';
import { messageGroupIdFor } from '../../../shared/adapters/sqs-event-queue.js';
import { aMessage } from '../../helpers/domain-inputs.js';
import { FAITHFUL_POLICY_FILE } from '../../helpers/local-process.js';

const admin = { authorization: `Bearer ${DEV_DEFAULTS.ADMIN_TOKEN}` };

describe('local mode across a restart, under policies/wecom-faithful.json', () => {
  it('puts back on the queue, and evaluates, what the last run left queued', async () => {
    // Prepare: a snapshot as a stop leaves it, with one event queued and one dead letter
    const dataDir = mkdtempSync(join(tmpdir(), 'wecom-restore-'));
    const corpId = DEV_DEFAULTS.WECOM_CORP_ID;
    // A recent time: the event source may evaluate the restored event while the clock still
    // follows the real one, and the day's suspension must not be over by then.
    const at = Date.now() - 60_000;
    const event = aMessage({ corpId, userId: 'left-over', at, text: '亲，帮忙转发朋友圈' });
    const group = messageGroupIdFor(event);
    writeFileSync(
      join(dataDir, 'queue-snapshot.json'),
      JSON.stringify({
        queue: [
          {
            messageId: 'm1',
            groupId: group,
            deduplicationId: event.id,
            body: JSON.stringify(event),
            state: 'ready',
          },
        ],
        deadLetterQueue: [
          { messageId: 'm2', groupId: group, deduplicationId: 'dead-1', body: 'not json', state: 'ready' },
        ],
      }),
    );
    const local = await startLocalMode({
      ...readLocalConfig({ POLICY_FILE: FAITHFUL_POLICY_FILE }),
      port: 0,
      dataDir,
    });

    try {
      // Act
      await fetch(`${local.url}/local/clock`, {
        method: 'POST',
        body: JSON.stringify({ set: new Date(at + 1000).toISOString() }),
      });
      await fetch(`${local.url}/local/drain`, { method: 'POST' });
      const member = await (
        await fetch(`${local.url}/admin/corps/${corpId}/members/left-over`, { headers: admin })
      ).json();
      const listing = (await (await fetch(`${local.url}/local/queue`)).json()) as {
        queue: unknown[];
        deadLetterQueue: { body: string }[];
      };

      // Assess
      expect(local.restored).toBe(2);
      expect(member).toMatchObject({ strikes: 1, interop: { status: 'suspended' } });
      expect(listing.queue).toEqual([]);
      expect(listing.deadLetterQueue.map((m) => m.body)).toEqual(['not json']);
    } finally {
      await local.stop();
    }
  });

  it('adds the standing index to a table an older version left in DATA_DIR, and lists members by it', async () => {
    // Prepare: a first run's table, its standing index dropped as older versions never had it
    const dataDir = mkdtempSync(join(tmpdir(), 'wecom-older-table-'));
    const config = { ...readLocalConfig({ POLICY_FILE: FAITHFUL_POLICY_FILE }), port: 0, dataDir };
    const first = await startLocalMode(config);
    try {
      await first.db.client.send(
        new UpdateTableCommand({
          TableName: LOCAL_TABLE_NAME,
          GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'standing' } }],
        }),
      );
    } finally {
      await first.stop();
    }

    // Act
    const local = await startLocalMode(config);
    try {
      const table = await local.db.client.send(new DescribeTableCommand({ TableName: LOCAL_TABLE_NAME }));
      const listing = await fetch(
        `${local.url}/admin/corps/${DEV_DEFAULTS.WECOM_CORP_ID}/members?standing=suspended`,
        { headers: admin },
      );

      // Assess
      expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toContain('standing');
      expect(listing.status).toBe(200);
      expect(await listing.json()).toEqual({ members: [], next: null });
    } finally {
      await local.stop();
    }
  });
});

describe('npm start without Java', () => {
  it('says so in one line with the command that installs it, and exits 1', async () => {
    // Prepare: a PATH with no java on it
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
      env: {
        ...process.env,
        PATH: mkdtempSync(join(tmpdir(), 'no-java-')),
        PORT: '0',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'wecom-nojava-')),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: 'pipe',
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    // Act
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    // Assess
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/Java.*apt-get install -y openjdk-17-jre-headless/),
    ]);
  });
});
