import { App, type AppProps, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppStack } from './stacks/app-stack.js';
import type { StateStack } from './stacks/state-stack.js';
import { parseStage, stackNameFor } from './stage.js';

/** Context keys the app reads (`npx cdk synth -c stage=prod -c wecomCorpId=ww...`). */
export const CONTEXT_KEYS = {
  stage: 'stage',
  wecomCorpId: 'wecomCorpId',
  wecomSecretArn: 'wecomSecretArn',
} as const;

/** The app and its stacks, so that tests synthesize exactly what `cdk synth` does. */
export interface WecomEnforcementApp {
  readonly app: App;
  /** The stage the app was synthesized for; the stack's name and every physical name carry it. */
  readonly stage: string;
  /** The nested stateful stack of the table. */
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

  const stage = parseStage(context(CONTEXT_KEYS.stage));

  // No env: the stack is environment-agnostic, so synth needs neither credentials nor lookups. One
  // top-level stack (the table lives in its nested stateful stack), so `npx cdk deploy` needs no name.
  // Its name carries the stage, and the queue, bus and schedule group names derive from the stack
  // name, so stages side by side in one account share no physical name.
  const appStack = new AppStack(app, stackNameFor(stage), {
    stage,
    description:
      'WeCom enforcement engine: callbacks, evaluator, timers, sweep, admin API, alarms; the penalty table in its nested state stack',
    wecomCorpId: context(CONTEXT_KEYS.wecomCorpId),
    wecomSecretArn: context(CONTEXT_KEYS.wecomSecretArn),
  });
  const { stateStack } = appStack;
  if (!stateStack) throw new Error('the app stack creates its state stack when given no table');

  Tags.of(app).add('project', 'wecom-enforcement');
  // What outlives `cdk destroy` (the table) is found by these two tags.
  Tags.of(app).add('stage', stage);
  // cdk-nag 3 is a policy validation plugin: an unacknowledged error fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stage, stateStack, appStack };
}
