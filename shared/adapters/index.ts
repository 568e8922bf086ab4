/** The public surface of shared/adapters: what code outside this folder may import. */

export { MAX_COUNTER_SHARDS } from './corp-item.js';
export { DynamoDbParkedInputs } from './dynamodb-parked-inputs.js';
export { DynamoDbPenaltyStore } from './dynamodb-penalty-store.js';
export { EventBridgeOutbound, outboundEntries } from './eventbridge-outbound.js';
export { backfillAppealLists, backfillStandingIndex } from './list-backfill.js';
export {
  addMissingIndexes,
  CASES_INDEX,
  createPenaltyTable,
  STANDING_INDEX,
  SWEEP_INDEX,
} from './penalty-table.js';
export { SchedulerTimers } from './scheduler-timers.js';
export { SqsCommandQueue } from './sqs-command-queue.js';
export { SqsDeadLetters } from './sqs-dead-letters.js';
export { SqsEventQueue } from './sqs-event-queue.js';
