import { fileURLToPath } from 'node:url';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import { copyClassifierImage } from './bundle-files.js';

/** Repository root: entries, the lock file and esbuild's working directory are all resolved from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * CloudWatch namespace of the Powertools metrics of every function in `scope`'s stack: the stack's
 * name, so that two stages in one account publish apart and one stage's alarms never see the other's.
 */
export function metricsNamespaceOf(scope: IConstruct): string {
  return Stack.of(scope).stackName;
}

/** Props of a {@link WecomFunction}; everything not listed is fixed for every function of the engine. */
export interface WecomFunctionProps {
  /** Handler file relative to the repository root, e.g. `functions/contact-callback/handler.ts`. */
  readonly entry: string;
  /** Powertools service name: logs and metrics of this function are tagged with it. */
  readonly serviceName: string;
  readonly description?: string;
  /** @default 512 MB: more memory also buys CPU, which shortens cold starts inside WeCom's 5 s budget. */
  readonly memorySize?: number;
  /** @default 6 s: WeCom gives up after 5 s, so a callback running longer is wasted anyway. */
  readonly timeout?: Duration;
  /**
   * Shell commands run (from the repository root) after esbuild, to put more files beside the bundled
   * handler in `outputDir`, e.g. the console the admin function serves. @default - none
   */
  readonly afterBundling?: (outputDir: string) => string[];
  /**
   * Whether the handler imports the content classifier, whose image it reads beside its code
   * (`data/default-classifier.bin`, shared/classifier/classifier-image.ts): then the file is copied
   * there. @default false
   */
  readonly carriesClassifier?: boolean;
}

/**
 * The one NodejsFunction of the engine: fixes runtime, architecture, tracing, logging and bundling so
 * that every Lambda is built and observed the same way.
 */
export class WecomFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: WecomFunctionProps) {
    // Siblings, not children: they must exist before super(), and `this` cannot be used until then.
    // An explicit log group with retention replaces the deprecated logRetention custom resource.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, { retention: RetentionDays.ONE_MONTH });
    // An own role instead of the default one, which would attach AWSLambdaBasicExecutionRole
    // (logs:* on every log group of the account); this one may write to its own log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.serviceName}`,
    });
    super(scope, id, {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(6),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespaceOf(scope),
      },
      projectRoot: REPO_ROOT,
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // The AWS SDK is bundled (tree-shaken and minified with the rest), not left to the runtime: the
        // code deployed then runs the SDK version package.json pins and the tests ran (3.1164.0), not
        // whichever one the Lambda runtime ships that day. It also loads faster: `npm run bench --
        // bundles` (2026-12-04, node 20, 2 cores) imported the callbacks in 70-87 ms instead of 107-117 ms
        // (0.60-0.79 x) and the evaluator, sweep and admin API in 195-204 ms instead of 323-339 ms (0.57-0.63
        // x). The price is size: callbacks 468 kB minified instead of 121 kB (145 kB gzipped), the others
        // 616-663 kB instead of 224-270 kB (192-208 kB gzipped), far below Lambda's limits. Keeping it
        // external would need a layer with the pinned SDK to give the same guarantee, and would load slower.
        bundleAwsSDK: true,
        // CommonJS dependencies bundled into an ES module still call require(); give them one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Bundling must work offline on any machine (CONTRACT: no Docker), so esbuild runs locally.
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => [
            ...(props.carriesClassifier ? copyClassifierImage(outputDir) : []),
            ...(props.afterBundling?.(outputDir) ?? []),
          ],
        },
      },
    });
    logGroup.grantWrite(role);
    // Narrow on purpose: only the role's Resource::* finding, and the only `*` on it is X-Ray's. It would
    // also hide a later `*` statement on this role, so grants added here must always name their resource.
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions, so Resource must be "*"; every other statement of this role names its resource.',
    });
  }
}
