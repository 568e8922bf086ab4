import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { backfillAppealLists, backfillStandingIndex } from '../shared/adapters/index.js';

const USAGE = `usage: npm run backfill-indexes -- --table <TableName> [--region <region>] [--endpoint <url>]
  Once, after deploying the version that added the console's lists: gives the member states and
  the appeals stored before it their list attributes, so that the console lists at once the members
  already suspended, banned, blocked or under review, and the appeals already filed. Their next
  write does it anyway; this does it for all of them now. Safe to run again (what is listed is
  skipped) and while the engine runs (each update applies only to the version or status it read).
  Uses the AWS credentials of the shell (the AWS SDK's usual chain); the table is the stack's
  PenaltyTableName output.
  --table NAME     the penalty table
  --region REGION  its region (default: the SDK's, from AWS_REGION or the profile)
  --endpoint URL   another DynamoDB endpoint (DynamoDB Local)`;

/** Runs the backfill the arguments name; resolves with how many members and appeals it listed. */
export async function backfillIndexes(
  args: readonly string[],
  write: (line: string) => void = console.log,
): Promise<{ members: number; appeals: number }> {
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
    const members = await backfillStandingIndex(client, values.table, Date.now());
    const appeals = await backfillAppealLists(client, values.table);
    write(`listed ${members} members not in good standing and ${appeals} appeals in ${values.table}`);
    return { members, appeals };
  } finally {
    client.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  backfillIndexes(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(error instanceof Error && error.message === USAGE ? 2 : 1);
  });
}
