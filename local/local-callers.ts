/**
 * What API Gateway's authorizer would leave in the request context (payload format 2.0), for a
 * caller local mode knows by its bearer token: the admin function reads the caller from it, as
 * on AWS (shared/admin/principal-of.ts).
 */
export type LocalAuthorizer =
  | { readonly iam: { readonly userArn: string } }
  | { readonly jwt: { readonly claims: Readonly<Record<string, string>>; readonly scopes: null } };

/** A caller of the operator routes: its bearer token and who it is. */
export interface LocalCaller {
  readonly token: string;
  readonly authorizer: LocalAuthorizer;
}

/** ADMIN_TOKEN: a machine client, as a SigV4-signed caller under IAM is on AWS. */
export const LOCAL_MACHINE: LocalAuthorizer = {
  iam: { userArn: 'arn:aws:iam::000000000000:user/local-admin' },
};

/** A person of one console group, as the user pool's JWT names them (`cognito:groups` as API Gateway passes it). */
export function localPerson(username: string, group: string): LocalAuthorizer {
  return { jwt: { claims: { username, 'cognito:groups': `[${group}]` }, scopes: null } };
}
