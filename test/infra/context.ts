/** The deployment context every infra test synthesises with, given explicitly as an operator would. */
export const deployment = {
  mailDomain: 'log.givefirst.test',
  fromAddress: 'digest@givefirst.test',
  alarmEmail: 'ops@givefirst.test',
} as const;

/** Skips esbuild for every stack: for tests that assert on no bundle. */
export const skipBundling = { 'aws:cdk:bundling-stacks': [] };
