import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppStack } from './stacks/app-stack.js';

/** Context keys the app reads (`npx cdk synth -c wecomCorpId=ww...`). */
export const CONTEXT_KEYS = {
  wecomCorpId: 'wecomCorpId',
  wecomSecretArn: 'wecomSecretArn',
} as const;

/** The app and its stacks, so that tests synthesize exactly what `cdk synth` does. */
export interface WecomEnforcementApp {
  readonly app: App;
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
  const appStack = new AppStack(app, 'WecomEnforcementApp', {
    description: 'WeCom enforcement engine: callback ingest (stateless)',
    wecomCorpId: context(CONTEXT_KEYS.wecomCorpId),
    wecomSecretArn: context(CONTEXT_KEYS.wecomSecretArn),
  });

  Tags.of(app).add('project', 'wecom-enforcement');
  // cdk-nag 3 is a policy validation plugin: an unacknowledged error fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, appStack };
}
