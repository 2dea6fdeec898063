import { buildLedger, helpFirst } from '#domain/help-first.ts';
import { buildThreads } from '#domain/threads.ts';
import { asked, received, sent, told } from '#test/builders/logged-message.ts';
const tag = { by: 'tag' as const };
const msgs = [] as ReturnType<typeof sent>[];
const start = Date.parse('2024-06-01T08:00:00Z');
for (let t = 0; msgs.length < 20000; t++) {
  const who = `p${t % 2000}@x.example`; const root = `t${t}-0@m`;
  const at = (k: number) => new Date(start + t * 4 * 3600000 + k * 86400000).toISOString();
  const signals = [{ promise: tag }, { thanks: tag }, { ask: tag }, { gave: tag }, {}, {}][t % 6] ?? {};
  msgs.push(sent(at(0), [asked(who)], { messageId: root, subject: `Topic ${t}`, signals }));
  for (let k = 1; k < 5; k++) msgs.push(k % 2 ? received(at(k), who, { messageId: `t${t}-${k}@m`, inReplyTo: [root], references: [root], subject: `Re: Topic ${t}` }) : sent(at(k), [told(who)], { messageId: `t${t}-${k}@m`, inReplyTo: [root], references: [root], subject: `Re: Topic ${t}` }));
}
const now = new Date('2026-06-01T08:00:00Z'); const s = { timeZone: 'Europe/Berlin', neverLog: [] };
for (let i = 0; i < 8; i++) {
  let t = performance.now(); const th = buildThreads(msgs, 'Europe/Berlin', now); const a = performance.now() - t;
  t = performance.now(); const l = buildLedger(msgs, th, s, now); const b = performance.now() - t;
  t = performance.now(); helpFirst(l, s, now); const c = performance.now() - t;
  console.log('threads', a.toFixed(0), 'ledger', b.toFixed(0), 'help', c.toFixed(0));
}
