import { silentLogger } from '#adapters/logger.ts';
import { composeDigest } from '#domain/digest.ts';
import { sendingState, sendingStateLabel } from '#domain/sending-state.ts';
import type { SendDigestOutcome } from '#use-cases/send-digest.ts';
import { UsageError } from '../command-line.ts';
import type { Connection } from '../connect.ts';
import { print } from '../output.ts';
import { userOf } from '../user-of.ts';
import type { Command } from './command.ts';

/** Where links in digests point: the running stack's web listener, or GIVEFIRST_PUBLIC_URL. */
const publicUrl = (conn: Connection) => conn.publicUrl ?? 'http://127.0.0.1:2580';

export const digest: Command = (line, connected) =>
  connected(async (conn) => {
    const user = await userOf(conn, line.operands[0]);
    if (line.now) {
      const state = sendingState(user, conn.clock());
      if (state.state !== 'active' && !line.force) {
        const problem = `${user.email} is ${sendingStateLabel(state)}: no digest sent`;
        print(
          line,
          { ok: false, sendingState: state, problems: [problem] },
          () =>
            `${problem}\n(givefirst user resume ${user.email} sends digests again; --force sends this one anyway)`,
        );
        return 1;
      }
      if (state.state !== 'active') {
        process.stderr.write(
          `givefirst: ${user.email} is ${sendingStateLabel(state)}; sending anyway (--force)\n`,
        );
      }
      if (!conn.sesEndpoint || !conn.dataDir) {
        throw new UsageError(
          'sending needs the running stack: its SES emulator shows what was sent',
          'start it with npm start, or print the digest with --dry-run',
        );
      }
      const { makeLocalDigestSender } = await import('#local/digest-sender.ts');
      const sender = await makeLocalDigestSender(conn.services, {
        dataDir: conn.dataDir,
        mailDomain: conn.mailDomain,
        sesEndpoint: conn.sesEndpoint,
        publicUrl: publicUrl(conn),
        clock: conn.clock,
        logger: silentLogger,
      });
      try {
        const outcome = await sender.sendDigest(user);
        print(line, { ...outcome, ...(state.state !== 'active' ? { forced: state } : {}) }, () =>
          sentenceOf(outcome, user.email),
        );
        return outcome.status === 'failed' ? 1 : 0;
      } finally {
        sender.close();
      }
    }
    const now = line.asOf ?? conn.clock();
    const digest = composeDigest({
      user,
      relationships: await conn.services.relationships(user, now, { forDigest: true }),
      now,
    });
    if (line.json || !digest) {
      print(line, { user: user.email, digest }, () => 'nothing to show: no digest would be sent');
      return 0;
    }
    const { renderDigest } = await import('#domain/render-digest.ts');
    const rendered = renderDigest(digest, {
      replyAddress: `reply+TOKEN@${conn.mailDomain}`,
      unsubscribeUrl: `${publicUrl(conn)}/unsubscribe?t=TOKEN`,
      logAddress: `log@${conn.mailDomain}`,
    });
    print(line, null, () => `Subject: ${rendered.subject}\n\n${rendered.text}`);
    return 0;
  });

/** What `digest --now` did, in words: one digest a day is a rule, so say so when it applies. */
function sentenceOf(outcome: SendDigestOutcome, email: string): string {
  switch (outcome.status) {
    case 'nothing-to-show':
      return 'nothing to show: no digest sent';
    case 'sent':
      return `sent the digest for ${outcome.localDate} (${outcome.items} ${outcome.items === 1 ? 'item' : 'items'})`;
    case 'already-begun':
      return `not sent: the digest for ${outcome.localDate} was already sent (one a day; givefirst digest ${email} --dry-run prints what it would say now)`;
    case 'failed':
      return `failed to send the digest for ${outcome.localDate}: ${outcome.failure}`;
  }
}
