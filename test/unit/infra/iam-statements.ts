import type { Template } from 'aws-cdk-lib/assertions';

/** One allowed action on one resource, as granted by some statement of a role's policies. */
export interface Permission {
  readonly action: string;
  readonly resource: unknown;
  readonly condition?: unknown;
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/**
 * Every (action, resource, condition) that the AWS::IAM::Policy resources attached to a role allow,
 * flattened, so that tests do not depend on how `@aws-cdk/aws-iam:minimizePolicies` merged statements.
 */
export function permissionsOfRole(template: Template, roleLogicalId: string): Permission[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as { Ref?: string }[]).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[])
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) =>
      list(statement.Action).flatMap((action) =>
        list(statement.Resource).map((resource) => ({
          action,
          resource,
          ...(statement.Condition === undefined ? {} : { condition: statement.Condition }),
        })),
      ),
    );
}

/** The logical id of the role a function resource runs with. */
export function roleOfFunction(template: Template, functionLogicalId: string): string {
  const fn = template.findResources('AWS::Lambda::Function')[functionLogicalId];
  const roleId: unknown = fn?.Properties.Role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') throw new Error(`function ${functionLogicalId} has no role`);
  return roleId;
}
