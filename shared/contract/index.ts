/** The public surface of shared/contract: what code outside this folder may import. */
export { EVENT_TIME_RANGE } from './event-time-range.js';
export {
  isMemberUserId,
  isPrintableId,
  MEMBER_USER_ID,
  MEMBER_USER_ID_RULE,
  PRINTABLE_ID,
  PRINTABLE_ID_RULE,
} from './ids.js';
