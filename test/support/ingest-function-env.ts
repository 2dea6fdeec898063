/**
 * The environment the deployed ingest function reads, each AWS endpoint a local server, with the
 * reply-token keys under `givefirst/reply-token-keys`: what the AWS handler tests set before they
 * import it.
 */
export function ingestFunctionEnv(options: {
  tableName: string;
  mailDomain: string;
  endpoints: { dynamodb: string; s3: string; secretsManager: string; sesv2?: string };
}): Record<string, string> {
  return {
    TABLE_NAME: options.tableName,
    RAW_MAIL_BUCKET: 'raw-mail',
    RAW_MAIL_PREFIX: 'inbound/',
    MAIL_DOMAIN: options.mailDomain,
    FROM_ADDRESS: `digest@${options.mailDomain}`,
    CONFIGURATION_SET: 'givefirst',
    REPLY_TOKEN_KEYS_SECRET: 'givefirst/reply-token-keys',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: options.endpoints.secretsManager,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: options.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: options.endpoints.s3,
    ...(options.endpoints.sesv2 ? { AWS_ENDPOINT_URL_SESV2: options.endpoints.sesv2 } : {}),
  };
}
