import { readLocalConfig } from './config.js';

/** `npm run queue [-- --url URL]`: lists what the running `npm start` has queued (and dead-lettered). */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const urlIndex = args.indexOf('--url');
  const base = urlIndex >= 0 ? args[urlIndex + 1] : `http://127.0.0.1:${readLocalConfig().port}`;
  const response = await fetch(`${base}/local/queue`);
  if (!response.ok) throw new Error(`${base}/local/queue answered ${response.status}`);
  const listing = (await response.json()) as {
    queue: { messageId: string; groupId?: string; state: string; body: string }[];
    deadLetterQueue: { messageId: string; groupId?: string; state: string; body: string }[];
  };
  for (const [title, messages] of [
    ['queue', listing.queue],
    ['dead-letter queue', listing.deadLetterQueue],
  ] as const) {
    console.log(`${title}: ${messages.length} message(s)`);
    for (const message of messages) {
      const event = JSON.parse(message.body) as { type?: string; id?: string; at?: number };
      const at = typeof event.at === 'number' ? new Date(event.at).toISOString() : '?';
      console.log(
        `  ${message.state.padEnd(8)} ${message.groupId ?? '-'}  ${event.type ?? '?'}  ${at}  ${event.id ?? ''}`,
      );
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
