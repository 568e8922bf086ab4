import { readFileSync } from 'node:fs';

/** Options of {@link testAppContext}. */
export interface TestAppContextOptions {
  /**
   * Whether to run esbuild for every function. Tests that never look at the code skip it: each
   * bundling spawns a process, and the suite would spend most of its time there.
   * @default true
   */
  readonly bundle?: boolean;
}

/** Context for a test App: the cdk.json context (the feature flags `cdk synth` uses), optionally without bundling. */
export function testAppContext(options: TestAppContextOptions = {}): Record<string, unknown> {
  const cdkJson: unknown = JSON.parse(readFileSync(new URL('../../../cdk.json', import.meta.url), 'utf8'));
  const context =
    typeof cdkJson === 'object' &&
    cdkJson !== null &&
    'context' in cdkJson &&
    typeof cdkJson.context === 'object'
      ? { ...cdkJson.context }
      : {};
  // An empty list of stacks to bundle makes CDK stage every asset without running esbuild.
  return options.bundle === false ? { ...context, 'aws:cdk:bundling-stacks': [] } : context;
}
