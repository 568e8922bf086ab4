import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppStack } from './stacks/app-stack.js';
import { StateStack } from './stacks/state-stack.js';

/** Context keys the app reads (`npx cdk synth -c wecomCorpId=ww...`). */
export const CONTEXT_KEYS = {
  wecomCorpId: 'wecomCorpId',
  wecomSecretArn: 'wecomSecretArn',
} as const;

/** The app and its stacks, so that tests synthesize exactly what `cdk synth` does. */
export interface WecomEnforcementApp {
  readonly app: App;
  readonly stateStack: StateStack;
  readonly appStack: AppStack;
}

/** Builds the CDK app: its stacks, the cdk-nag AwsSolutions checks and the project tags. */
export function createApp(props: AppProps = {}): WecomEnforcementApp {
  const app = new App(props);
  const context = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };

  // No env: the stacks are environment-agnostic, so synth needs neither credentials nor lookups.
  const stateStack = new StateStack(app, 'WecomEnforcementState', {
    description: 'WeCom enforcement engine: the penalty table (stateful)',
  });
  // The table passes as a typed prop; its references make CloudFormation deploy the state stack first.
  const appStack = new AppStack(app, 'WecomEnforcementApp', {
    description:
      'WeCom enforcement engine: callbacks, evaluator, timers, sweep, admin API, alarms (stateless)',
    table: stateStack.table,
    wecomCorpId: context(CONTEXT_KEYS.wecomCorpId),
    wecomSecretArn: context(CONTEXT_KEYS.wecomSecretArn),
  });

  Tags.of(app).add('project', 'wecom-enforcement');
  // cdk-nag 3 is a policy validation plugin: an unacknowledged error fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateStack, appStack };
}
