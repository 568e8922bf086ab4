import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { backfillStandingIndex } from '../shared/adapters/index.js';

const USAGE = `usage: npm run backfill-standing -- --table <TableName> [--region <region>] [--endpoint <url>]
  Once, after deploying the version that added the console (the standing index): gives the member
  states stored before it their index attributes, so that the console's "members by standing"
  lists members already suspended, banned, blocked or under review. A member's next write does it
  anyway; this does it for all of them now. Safe to run again (members indexed are skipped) and
  while the engine runs (each update applies only to the state version it read).
  Uses the AWS credentials of the shell (the AWS SDK's usual chain); the table is the stack's
  PenaltyTableName output.
  --table NAME     the penalty table
  --region REGION  its region (default: the SDK's, from AWS_REGION or the profile)
  --endpoint URL   another DynamoDB endpoint (DynamoDB Local)`;

/** Runs the backfill the arguments name; resolves with how many members it indexed. */
export async function backfillStanding(
  args: readonly string[],
  write: (line: string) => void = console.log,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      table: { type: 'string' },
      region: { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help || !values.table) throw new Error(USAGE);
  const client = new DynamoDBClient({
    ...(values.region ? { region: values.region } : {}),
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
  });
  try {
    const indexed = await backfillStandingIndex(client, values.table, Date.now());
    write(`indexed ${indexed} members not in good standing in ${values.table}`);
    return indexed;
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  backfillStanding(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof Error && error.message === USAGE ? 2 : 1);
  });
}
