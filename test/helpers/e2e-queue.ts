import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * Where the SQS-protocol server (fauxqs) of a running `npm start` listens, found from outside.
 *
 * Local mode does not say: `/local/queue` lists the messages but not the endpoint, and nothing is
 * printed. So this finds the `npm start` process by its DATA_DIR (Linux /proc), takes the TCP
 * ports it listens on other than its HTTP port, and keeps the one that answers SQS's GetQueueUrl
 * for the event queue. Test code only: what a poisoned message needs to reach the queue directly.
 */
export interface LocalQueueEndpoint {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly client: SQSClient;
}

const QUEUE_NAME = 'wecom-events.fifo';
const DLQ_NAME = 'wecom-events-dlq.fifo';

/** Finds the queue endpoint of the `npm start` running on `dataDir` and serving `httpUrl`. */
export async function findLocalQueue(dataDir: string, httpUrl: string): Promise<LocalQueueEndpoint> {
  const pid = findProcess(dataDir);
  const httpPort = Number(new URL(httpUrl).port);
  const ports = listeningPorts(pid).filter((port) => port !== httpPort);
  for (const port of ports) {
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new SQSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const queue = await client.send(new GetQueueUrlCommand({ QueueName: QUEUE_NAME }));
      const dlq = await client.send(new GetQueueUrlCommand({ QueueName: DLQ_NAME }));
      if (queue.QueueUrl && dlq.QueueUrl)
        return { endpoint, queueUrl: queue.QueueUrl, dlqUrl: dlq.QueueUrl, client };
    } catch {
      // Not the queue server.
    }
    client.destroy();
  }
  throw new Error(`no SQS endpoint among the ports ${ports.join(', ')} of process ${pid}`);
}

/** The node process of `npm start` (`local/main.ts`) whose environment names `dataDir`. */
function findProcess(dataDir: string): number {
  const wanted = `DATA_DIR=${dataDir}`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('local/main.ts')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(wanted) || environ.includes(`DATA_DIR=${resolve(dataDir)}`)) return Number(entry);
    } catch {
      // The process ended, or is not ours to read.
    }
  }
  throw new Error(`no npm start process runs on DATA_DIR ${dataDir}`);
}

/** TCP ports the process listens on: its socket inodes matched against /proc/<pid>/net/tcp{,6}. */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  const ports = new Set<number>();
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      const [, local, , state, , , , , , inode] = columns;
      if (state !== '0A' || inode === undefined || !inodes.has(inode) || local === undefined) continue;
      ports.add(Number.parseInt(local.split(':')[1] ?? '0', 16));
    }
  }
  return [...ports];
}
