import { commandsMarker } from './commands-marker.ts';
import {
  type Digest,
  type DigestItem,
  type DigestSection,
  type LetGoPerson,
  letGoNamesLimit,
  stripControls,
} from './digest.ts';
import { escapeHtml } from './escape-html.ts';

/**
 * The first line of the digest's footer: the reply-command reader ignores it and everything after
 * it, so a reply whose quote was not stripped never runs the examples written below it.
 */
export { commandsMarker };

/** The one line under the marker that teaches the reply commands. */
export const commandsLine = 'Reply with: done 1 · snooze 2 3d · drop 3 · more · help';

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

export interface RenderOptions {
  /** The digest's Reply-To (`reply+TOKEN@D`): the `more` link writes to it. */
  replyAddress: string;
  /** The one-click unsubscribe page (a GET only shows it; RFC 8058 POST unsubscribes). */
  unsubscribeUrl: string;
  /**
   * The user's log address: a Waiting item's one-tap nudge Bccs it, and a promise says to Bcc its
   * `gave` form, so what the user does next is logged without thinking.
   */
  logAddress?: string;
}

/** A Waiting item's one-tap nudge: a mail to the contact, `Re:` the thread, the log in Bcc. */
export function nudgeHref(item: DigestItem, logAddress: string): string {
  const subject = item.subject ?? '';
  const re = /^re:/i.test(subject) ? subject : `Re: ${subject}`;
  return `mailto:${encodeURIComponent(item.address).replace(/%40/g, '@')}?subject=${encodeURIComponent(re)}&bcc=${encodeURIComponent(logAddress)}`;
}

/** What a promise item says to do next. */
export function promiseNextStep(item: DigestItem, logAddress: string): string {
  const gave = logAddress.replace(/^log(?=@|\+)/, 'log+gave');
  const what = /intro|introduc|connect/i.test(item.reason) ? 'make the intro' : 'keep it';
  return `Next: ${what}, and Bcc ${gave} so givefirst knows.`;
}

const headings: Record<DigestSection, string> = {
  'help-first': 'Help first',
  waiting: 'Waiting on a reply',
};

const leads: Record<DigestSection, string> = {
  'help-first': 'Give a little before you ask for anything.',
  waiting: 'People get busy. A short, friendly nudge usually does it.',
};

const rightToLeft =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * User text for the plain-text part: as written, without control characters. Right-to-left text
 * is wrapped in a first-strong isolate, so it cannot turn the line around it right-to-left.
 */
function plain(s: string): string {
  const clean = stripControls(s);
  return rightToLeft.test(clean) ? `\u2068${clean}\u2069` : clean;
}

/** An English sentence that may quote right-to-left text: a left-to-right mark keeps it so. */
function plainSentence(s: string): string {
  const clean = stripControls(s);
  return rightToLeft.test(clean) ? `\u200e${clean}` : clean;
}

/** User text for the HTML part: escaped and isolated, in the direction it is written in. */
const safe = (s: string) => `<bdi>${escapeHtml(stripControls(s))}</bdi>`;

/** An English sentence (a reason) that may quote user text: escaped, left-to-right. */
const safeSentence = (s: string) => `<bdi dir="ltr">${escapeHtml(stripControls(s))}</bdi>`;

const meta = (item: DigestItem, quote: (s: string) => string) =>
  [item.subject ? `“${quote(item.subject)}”` : '', item.when ?? ''].filter(Boolean).join(' · ');

/** "Bob Jones, Carol Diaz and 3 others" */
function names(people: LetGoPerson[], quote: (s: string) => string): string {
  const listed = people.slice(0, letGoNamesLimit).map((p) => quote(p.name));
  const others = people.length - listed.length;
  if (others > 0) listed.push(`${others} ${others === 1 ? 'other' : 'others'}`);
  return listed.length === 1
    ? (listed[0] ?? '')
    : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
}

const letGoSentence = (people: LetGoPerson[], quote: (s: string) => string) =>
  `We'll stop reminding you about ${people.length} ${people.length === 1 ? 'person' : 'people'}: ${names(people, quote)}. If they write back, we'll pick it up again.`;

const moreLine = (n: number) => `and ${n} more: reply “more”`;

const sections = (digest: Digest) =>
  (['help-first', 'waiting'] as const)
    .map((section) => ({
      section,
      items: digest.items.filter((i) => i.section === section),
      more: digest.more[section],
    }))
    .filter((s) => s.items.length > 0);

function renderText(digest: Digest, options: RenderOptions): string {
  const blocks = [`Your givefirst for ${digest.dateLabel}.`];
  for (const { section, items, more } of sections(digest)) {
    blocks.push(`${headings[section]}\n${leads[section]}`);
    for (const item of items) {
      const m = meta(item, plain);
      const log = options.logAddress;
      blocks.push(
        [
          `${item.number}. ${plain(item.name)}`,
          `   ${plainSentence(item.reason)}`,
          ...(m ? [`   ${m}`] : []),
          ...(log && item.kind === 'promise' ? [`   ${promiseNextStep(item, log)}`] : []),
          ...(log && item.threadKey ? [`   Nudge: ${plain(item.address)}`] : []),
        ].join('\n'),
      );
    }
    if (more > 0) blocks.push(`   ${moreLine(more)}`);
  }
  if (digest.letGo.people.length > 0) blocks.push(letGoSentence(digest.letGo.people, plain));
  blocks.push(`${commandsMarker}\n${commandsLine}\nUnsubscribe: ${options.unsubscribeUrl}`);
  return `${blocks.join('\n\n')}\n`;
}

const colors = {
  light: {
    page: '#f4f3ef',
    card: '#ffffff',
    text: '#1d1f21',
    muted: '#5f6368',
    accent: '#0b6e4f',
    badge: '#e3f1ea',
    rule: '#e5e3dc',
  },
  dark: {
    page: '#121417',
    card: '#1c1f23',
    text: '#e8e6e3',
    muted: '#a3a8ad',
    accent: '#7dd3a8',
    badge: '#1f3a2d',
    rule: '#30343a',
  },
};
const l = colors.light;
const d = colors.dark;
const font =
  "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'Noto Sans','Noto Color Emoji',sans-serif";

// Inline styles carry the light look everywhere; clients that honour the media query get dark.
const darkCss = `
:root{color-scheme:light dark;supported-color-schemes:light dark}
@media (prefers-color-scheme: dark){
.gf-page{background:${d.page}!important}
.gf-card{background:${d.card}!important;border-color:${d.rule}!important}
.gf-text{color:${d.text}!important}
.gf-muted{color:${d.muted}!important}
.gf-accent{color:${d.accent}!important}
.gf-badge{background:${d.badge}!important;color:${d.accent}!important}
.gf-rule{border-color:${d.rule}!important}
}`;

function htmlItem(item: DigestItem, options: RenderOptions): string {
  const m = meta(item, safe);
  const log = options.logAddress;
  const next =
    log && item.kind === 'promise'
      ? `\n<div class="gf-muted" style="margin-top:2px;font-size:14px;color:${l.muted}">${escapeHtml(promiseNextStep(item, log))}</div>`
      : '';
  const nudge =
    log && item.threadKey
      ? `\n<div style="margin-top:4px;font-size:14px"><a class="gf-accent" href="${escapeHtml(nudgeHref(item, log))}" style="color:${l.accent};font-weight:600">Nudge ${safe(item.name)}</a></div>`
      : '';
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 16px">
<tr><td valign="top" style="width:34px;padding:1px 0 0"><span class="gf-badge" style="display:inline-block;min-width:24px;height:24px;line-height:24px;border-radius:12px;background:${l.badge};color:${l.accent};text-align:center;font-size:13px;font-weight:700">${item.number}</span></td>
<td valign="top" class="gf-text" style="color:${l.text}">
<div style="font-weight:600">${safe(item.name)}</div>
<div style="margin-top:2px">${safeSentence(item.reason)}</div>${m ? `\n<div class="gf-muted" style="margin-top:2px;font-size:14px;color:${l.muted}">${m}</div>` : ''}${next}${nudge}
</td></tr></table>`;
}

function renderHtml(digest: Digest, options: RenderOptions): string {
  const moreHref = `mailto:${options.replyAddress}?subject=${encodeURIComponent(`Re: ${digest.subject}`)}&body=more`;
  const body: string[] = [
    `<p class="gf-muted" style="margin:0 0 4px;font-size:14px;color:${l.muted}">Your givefirst for ${escapeHtml(digest.dateLabel)}</p>`,
  ];
  for (const { section, items, more } of sections(digest)) {
    body.push(
      `<h2 class="gf-accent" style="margin:22px 0 2px;font-size:17px;line-height:1.3;color:${l.accent}">${headings[section]}</h2>`,
      `<p class="gf-muted" style="margin:0 0 14px;font-size:14px;color:${l.muted}">${leads[section]}</p>`,
      ...items.map((item) => htmlItem(item, options)),
    );
    if (more > 0) {
      body.push(
        `<p class="gf-muted" style="margin:-4px 0 8px 34px;font-size:14px;color:${l.muted}">and ${more} more: reply <a class="gf-accent" href="${escapeHtml(moreHref)}" style="color:${l.accent};font-weight:600">more</a></p>`,
      );
    }
  }
  if (digest.letGo.people.length > 0) {
    body.push(
      `<p class="gf-muted" style="margin:20px 0 0;font-size:14px;color:${l.muted}">${letGoSentence(digest.letGo.people, safe)}</p>`,
    );
  }
  body.push(
    `<div class="gf-rule" style="margin:22px 0 0;padding:14px 0 0;border-top:1px solid ${l.rule}">`,
    `<p class="gf-muted" style="margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:${l.muted}">${escapeHtml(commandsMarker)}</p>`,
    `<p class="gf-text" style="margin:4px 0 0;font-size:14px;color:${l.text}">${escapeHtml(commandsLine)}</p>`,
    `<p style="margin:10px 0 0;font-size:12px"><a class="gf-muted" href="${escapeHtml(options.unsubscribeUrl)}" style="color:${l.muted}">Unsubscribe</a></p>`,
    '</div>',
  );
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(digest.subject)}</title>
<style>${darkCss}
</style>
</head>
<body class="gf-page" style="margin:0;padding:0;background:${l.page};-webkit-text-size-adjust:100%">
<table role="presentation" class="gf-page" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;background:${l.page}">
<tr><td align="center" style="padding:16px 10px">
<div class="gf-card" style="max-width:560px;margin:0 auto;text-align:left;background:${l.card};border:1px solid ${l.rule};border-radius:12px;padding:20px 18px;font-family:${font};font-size:16px;line-height:1.45;color:${l.text}">
${body.join('\n')}
</div>
</td></tr>
</table>
</body>
</html>
`;
}

/**
 * A digest as a multipart/alternative body: a clean plain-text part and a small HTML part that
 * reads well in light and dark mode, with no images, no tracking and no external resources. Every
 * user-supplied string is escaped in HTML; in text it stays as written, without control characters.
 */
export function renderDigest(digest: Digest, options: RenderOptions): RenderedDigest {
  return {
    subject: stripControls(digest.subject),
    text: renderText(digest, options),
    html: renderHtml(digest, options),
  };
}
