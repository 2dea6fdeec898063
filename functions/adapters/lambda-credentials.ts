import { fromEnv } from '@aws-sdk/credential-provider-env';

// What the Lambda bundles use in place of the SDK's default credential chain
// (@aws-sdk/credential-provider-node, swapped by an esbuild alias in the function construct).
// In Lambda the runtime puts the function role's credentials in the environment, the chain's first
// source: its others (SSO, profiles, processes, web identity, container and instance metadata) are
// never reached there, yet they and the STS and SSO clients they need are about 110 KB of every
// bundle. The SDK memoises the provider and refreshes what expires, as it does for the chain.
// Locally nothing changes: the unbundled code keeps the whole chain.

export const defaultProvider = (
  init: Parameters<typeof fromEnv>[0] = {},
): ReturnType<typeof fromEnv> => fromEnv(init);
