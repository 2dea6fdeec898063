import type MailComposerType from 'nodemailer/lib/mail-composer';
import { besideModule } from './load-beside.ts';

/** nodemailer's MIME composer, for answers with files attached (an export) only. */
const load = besideModule<{ default?: typeof MailComposerType } & typeof MailComposerType>(
  './beside/mail-composer.cjs',
);

/** Called with `new`, it hands back the composer itself, made from the module beside the bundle. */
export default function MailComposer(
  ...args: ConstructorParameters<typeof MailComposerType>
): MailComposerType {
  const module = load();
  return new (module.default ?? module)(...args);
}
