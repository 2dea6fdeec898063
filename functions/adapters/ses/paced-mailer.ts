import type { Mailer } from '#domain/ports.ts';

/**
 * A mailer that starts one send at most every `intervalMs`: a function's share of SES's send rate
 * (docs/deploy.md, "What one scheduler run can send"). The scheduler sends one at a time and each
 * digest worker too, so the sends of the deployment stay under the account's rate, instead of
 * running into SES's throttling and the retries it costs.
 */
export function pacedMailer(
  mailer: Mailer,
  intervalMs: number,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => number = () => performance.now(),
): Mailer {
  let nextStart = Number.NEGATIVE_INFINITY;
  return {
    async send(mail) {
      const early = nextStart - now();
      if (early > 0) await wait(early);
      nextStart = now() + intervalMs;
      return mailer.send(mail);
    },
  };
}
