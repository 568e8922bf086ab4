import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { principalOf, rolesOf } from '../../../../shared/admin/principal-of.js';
import { adminEvent } from '../../../helpers/admin-api.js';

/** An admin event whose request context carries this authorizer (or none). */
function eventWith(authorizer: unknown): APIGatewayProxyEventV2 {
  const event = adminEvent('GET', '/admin/me');
  const { authorizer: _iam, ...requestContext } = event.requestContext as typeof event.requestContext & {
    authorizer?: unknown;
  };
  return {
    ...event,
    requestContext: (authorizer === undefined
      ? requestContext
      : { ...requestContext, authorizer }) as APIGatewayProxyEventV2['requestContext'],
  };
}

describe('the caller of the admin function', () => {
  it('is a machine client when IAM authorized the request', () => {
    // Act
    const principal = principalOf(eventWith({ iam: { userArn: 'arn:aws:iam::1:user/ops' } }));

    // Assess
    expect(principal).toEqual({ kind: 'machine' });
  });

  it('is the person a console JWT names, with the console groups among theirs', () => {
    // Prepare: API Gateway passes array claims to Lambda as one bracketed string
    const claims = { username: 'li.wei', 'cognito:groups': '[reviewer finance]', sub: 'abc' };

    // Act
    const principal = principalOf(eventWith({ jwt: { claims, scopes: null } }));

    // Assess
    expect(principal).toEqual({ kind: 'person', name: 'li.wei', roles: ['reviewer'] });
  });

  it('names a person by the first of username, cognito:username, email and sub they carry', () => {
    // Act
    const names = [
      { 'cognito:username': 'from-id-token', email: 'e@x.cn' },
      { email: 'e@x.cn', sub: 's-1' },
      { sub: 's-1' },
    ].map((claims) => principalOf(eventWith({ jwt: { claims } })));

    // Assess
    expect(names.map((p) => (p?.kind === 'person' ? p.name : null))).toEqual([
      'from-id-token',
      'e@x.cn',
      's-1',
    ]);
  });

  it('is nobody without an authorizer, or with a token that names no one', () => {
    // Act
    const none = principalOf(eventWith(undefined));
    const nameless = principalOf(eventWith({ jwt: { claims: { 'cognito:groups': '[admin]' } } }));

    // Assess
    expect(none).toBeNull();
    expect(nameless).toBeNull();
  });
});

describe('the console groups of a token', () => {
  it('reads an array, a bracketed string and a comma-separated list, keeping only the console groups, narrowest first', () => {
    // Act
    const read = [
      rolesOf(['admin', 'viewer']),
      rolesOf('[admin viewer]'),
      rolesOf('reviewer,other'),
      rolesOf('[]'),
      rolesOf(undefined),
      rolesOf(42),
    ];

    // Assess
    expect(read).toEqual([['viewer', 'admin'], ['viewer', 'admin'], ['reviewer'], [], [], []]);
  });

  it('does not take a group whose name only contains a console group', () => {
    // Act
    const roles = rolesOf('[super-admin viewers reviewer-2]');

    // Assess
    expect(roles).toEqual([]);
  });
});
