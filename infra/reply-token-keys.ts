import { SecretValue } from 'aws-cdk-lib';

/**
 * The Secrets Manager secret holding the reply-token keys, as the digest function reads them:
 * `{"signWith":1,"keys":{"1":"<base64 of 32 random bytes>"}}`. The operator creates it once,
 * before the first deploy (README, "Deploy to AWS"); no stack owns it, so no stack deletes it.
 */
export const replyTokenKeysSecretName = 'givefirst/reply-token-keys';

/**
 * The function's REPLY_TOKEN_KEYS: a CloudFormation dynamic reference, which CloudFormation
 * resolves with the deployer's credentials when it creates or updates the function. The template
 * (and cdk.out) hold only `{{resolve:secretsmanager:...}}`, never the keys; the resolved value is
 * in the function's configuration (encrypted at rest, readable with lambda:GetFunctionConfiguration).
 *
 * CloudFormation resolves it again only when the function changes: after rotating the keys,
 * deploy with `-c replyTokenKeysVersion=<the new VersionId>`, which pins that version and so
 * changes the template. (The functions cannot read the secret themselves: no Secrets Manager
 * client is among the dependencies.)
 */
export function replyTokenKeysReference(versionId?: string): string {
  return SecretValue.secretsManager(replyTokenKeysSecretName, {
    ...(versionId ? { versionId } : {}),
  }).unsafeUnwrap();
}
