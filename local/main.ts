import { ENV } from '../shared/config/index.js';
import { type LocalConfig, readLocalConfig } from './config.js';
import { JavaMissingError } from './local-dynamodb.js';
import { startLocalMode } from './local-mode.js';

/**
 * `npm start`: the whole pipeline on this machine (CONTRACT §4): the Lambda handlers and the
 * engine as deployed, with DynamoDB Local, an SQS-protocol queue, the local scheduler and clock.
 */
async function main(): Promise<void> {
  const config = readLocalConfig();
  const started = performance.now();
  const local = await startLocalMode(config);

  for (const name of config.defaulted) {
    const kind = name === ENV.corpId || name === 'PORT' || name === 'DATA_DIR' ? 'default' : 'dev default';
    console.log(`${name}=${configured(config, name)} (${kind}; set ${name} to change it)`);
  }
  if (config.policyFile) console.log(`POLICY_FILE=${config.policyFile}`);
  if (local.restored > 0) console.log(`restored ${local.restored} queued messages from the last run`);
  console.log(`state: ${config.dataDir} (DynamoDB Local, kept between runs)`);
  console.log(`queue: ${local.queue.queueUrl} (list it with: npm run queue)`);
  console.log(`clock: real time; POST /local/clock {"advanceMs": n} or {"set": "<ISO>"} to move it`);
  console.log(`admin API: ${local.url}/admin/... with Authorization: Bearer $ADMIN_TOKEN`);
  console.log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(`listening on ${local.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the work in progress, then stopping`);
    try {
      await local.stop();
      process.exit(0);
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // The terminal closed.
  process.on('SIGHUP', () => void stop('SIGHUP'));
  // `npm start` ended without passing a signal on (SIGKILL, or a shell that dies of it): Linux
  // gives an orphan a new parent, so a changed parent pid means ours is gone.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent exited');
  }, 500).unref();
}

function configured(config: LocalConfig, name: string): string {
  switch (name) {
    case ENV.corpId:
      return config.corpId;
    case ENV.token:
      return config.token;
    case ENV.encodingAesKey:
      return config.encodingAesKey;
    case 'ADMIN_TOKEN':
      return config.adminToken;
    case 'REVIEWER_TOKEN':
      return config.reviewerToken;
    case 'VIEWER_TOKEN':
      return config.viewerToken;
    case 'PORT':
      return String(config.port);
    default:
      return config.dataDir;
  }
}

main().catch((error: unknown) => {
  // Java missing is one line with the command that installs it; anything else, its message.
  console.error(error instanceof JavaMissingError || error instanceof Error ? error.message : error);
  process.exit(1);
});
