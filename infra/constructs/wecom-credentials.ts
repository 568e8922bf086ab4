import { Annotations, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV, SECRET_KEYS } from '../../shared/config/index.js';
import type { WecomFunction } from './wecom-function.js';

/** Corp id used when none is configured, so that `cdk synth` works on a fresh clone. */
export const CORP_ID_NOT_CONFIGURED = 'ww-not-configured';

/** Placeholder that the created secret holds until the operator puts the real token in. */
export const TOKEN_NOT_CONFIGURED = 'not-configured';

/** Props of {@link WecomCredentials}. */
export interface WecomCredentialsProps {
  /** The corp (receive id) whose callbacks are accepted. @default - a placeholder, with a warning */
  readonly corpId?: string;
  /**
   * Complete ARN (with its 6-character suffix) of an existing secret holding
   * `{"token": "...", "encodingAesKey": "..."}`. @default - a new secret is created
   */
  readonly secretArn?: string;
}

/**
 * The WeCom callback credentials: the corp id, and the one secret holding the callback token and
 * EncodingAESKey. Functions get them only through {@link WecomCredentials.connectReader}.
 */
export class WecomCredentials extends Construct {
  public readonly corpId: string;
  public readonly secret: ISecret;
  /** True when this app created the secret, which then still holds placeholders until the operator sets it. */
  public readonly secretCreated: boolean;

  constructor(scope: Construct, id: string, props: WecomCredentialsProps = {}) {
    super(scope, id);
    if (props.corpId) {
      this.corpId = props.corpId;
    } else {
      this.corpId = CORP_ID_NOT_CONFIGURED;
      Annotations.of(this).addWarningV2(
        'wecom:corp-id-not-configured',
        `No WeCom corp id configured: every callback will be refused (receive id "${CORP_ID_NOT_CONFIGURED}"). ` +
          'Pass it with `-c wecomCorpId=ww...`.',
      );
    }
    this.secretCreated = !props.secretArn;
    // fromSecretCompleteArn refuses a partial ARN at synth time; IAM would deny GetSecretValue on one.
    this.secret = props.secretArn
      ? Secret.fromSecretCompleteArn(this, 'Secret', props.secretArn)
      : this.createSecret();
  }

  /** Gives `fn` the corp id and the secret's ARN (never its value), and permission to read that secret only. */
  public connectReader(fn: WecomFunction): void {
    fn.addEnvironment(ENV.corpId, this.corpId);
    fn.addEnvironment(ENV.secretArn, this.secret.secretArn);
    // Not grantRead: the handlers need the value, not DescribeSecret. An imported secret encrypted with
    // a customer managed key also needs kms:Decrypt, which is granted on that key, outside this app.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );
  }

  private createSecret(): Secret {
    // Generated, not given: the template carries no token or key, only a placeholder token and a
    // random EncodingAESKey-shaped value that the operator replaces after the first deploy.
    const secret = new Secret(this, 'Secret', {
      description: 'WeCom callback Token and EncodingAESKey (JSON); set from the WeCom admin console',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ [SECRET_KEYS.token]: TOKEN_NOT_CONFIGURED }),
        generateStringKey: SECRET_KEYS.encodingAesKey,
        passwordLength: 43,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Token and EncodingAESKey are set and changed in the WeCom admin console, not through an API that ' +
        'a rotation Lambda could call; the operator changes them there and then puts the new value here.',
    });
    return secret;
  }
}
