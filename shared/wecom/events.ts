import * as z from 'zod/mini';
import { EVENT_TIME_RANGE } from '../contract/index.js';
import { MalformedPayloadError } from './errors.js';
import { EXTERNAL_CONTACT_CHANGES, type ExternalContactChange, type WecomXmlEvent } from './types.js';
import { assignDefined, check, memberIdField, printableIdField } from './validate.js';
import { childTexts, parseXml, stripForbiddenControls } from './xml.js';

const seconds = z.pipe(
  z.string().check(z.trim(), z.regex(/^\d{1,12}$/, 'must be whole seconds')),
  z.pipe(
    z.transform(Number),
    // Within the engine's event-time range (milliseconds here would be a date far in the future).
    z
      .number()
      .check(z.gte(EVENT_TIME_RANGE.min / 1000), z.lte(EVENT_TIME_RANGE.max / 1000)),
  ),
);
const id = z.string().check(z.trim(), z.minLength(1), z.maxLength(256));
const optionalText = z.pipe(
  z.optional(z.string()),
  z.transform((value) => (value === undefined || value === '' ? undefined : value)),
);

const externalContactFields = z.object({
  ToUserName: printableIdField,
  CreateTime: seconds,
  UserID: memberIdField,
  ExternalUserID: printableIdField,
  State: optionalText,
  WelcomeCode: optionalText,
  Source: optionalText,
  FailReason: optionalText,
});

const updateUserFields = z.object({
  ToUserName: printableIdField,
  CreateTime: seconds,
  UserID: memberIdField,
  NewUserID: z.pipe(optionalText, z.optional(memberIdField)),
});
const notifyFields = z.object({ ToUserName: printableIdField, CreateTime: seconds });
const appMessageFields = z.object({
  ToUserName: id,
  FromUserName: id,
  CreateTime: seconds,
  MsgId: z.string().check(z.trim(), z.regex(/^\d{1,20}$/, 'must be a decimal id')),
  AgentID: optionalText,
  Content: z.optional(z.string()),
});

/** Fields of update_user that are not part of the member's profile (NewUserID is carried on its own). */
const HEADER_FIELDS = new Set([
  'ToUserName',
  'FromUserName',
  'CreateTime',
  'MsgType',
  'Event',
  'ChangeType',
  'UserID',
  'NewUserID',
]);

const changeTypes: ReadonlySet<string> = new Set(EXTERNAL_CONTACT_CHANGES);

/** Parses a decrypted XML callback into a typed WeCom event; unknown kinds come back as `other`. */
export function parseXmlEvent(plaintext: string): WecomXmlEvent {
  const root = parseXml(stripForbiddenControls(plaintext));
  if (root.name !== 'xml') throw new MalformedPayloadError('event XML root must be <xml>');
  const fields = childTexts(root);
  const msgType = fields.MsgType?.trim() ?? '';
  const event = fields.Event?.trim();
  const changeType = fields.ChangeType?.trim();
  if (
    msgType === 'event' &&
    event === 'change_external_contact' &&
    changeType &&
    changeTypes.has(changeType)
  ) {
    const f = check(externalContactFields, fields, changeType);
    return assignDefined(
      {
        kind: 'external-contact' as const,
        changeType: changeType as ExternalContactChange,
        corpId: f.ToUserName,
        createTime: f.CreateTime,
        userId: f.UserID,
        externalUserId: f.ExternalUserID,
      },
      { state: f.State, welcomeCode: f.WelcomeCode, source: f.Source, failReason: f.FailReason },
    );
  }
  if (msgType === 'event' && event === 'change_contact' && changeType === 'update_user') {
    const f = check(updateUserFields, fields, changeType);
    const profile: Record<string, string> = Object.create(null);
    for (const child of root.children) {
      // The first of a repeated element wins, as in childTexts.
      if (
        !HEADER_FIELDS.has(child.name) &&
        child.children.length === 0 &&
        !Object.hasOwn(profile, child.name)
      ) {
        profile[child.name] = child.text;
      }
    }
    return assignDefined(
      {
        kind: 'update-user' as const,
        corpId: f.ToUserName,
        createTime: f.CreateTime,
        userId: f.UserID,
        fields: profile,
      },
      { newUserId: f.NewUserID },
    );
  }
  if (msgType === 'event' && event === 'msgaudit_notify') {
    const f = check(notifyFields, fields, event);
    return { kind: 'msgaudit-notify', corpId: f.ToUserName, createTime: f.CreateTime };
  }
  if (msgType !== '' && msgType !== 'event' && fields.MsgId !== undefined) {
    const f = check(appMessageFields, fields, `${msgType} message`);
    return assignDefined(
      {
        kind: 'app-message' as const,
        corpId: f.ToUserName,
        msgType,
        fromUserName: f.FromUserName,
        createTime: f.CreateTime,
        msgId: f.MsgId,
      },
      { agentId: f.AgentID, content: f.Content },
    );
  }
  return assignDefined(
    { kind: 'other' as const, corpId: fields.ToUserName?.trim() ?? '', msgType },
    { event, changeType },
  );
}
