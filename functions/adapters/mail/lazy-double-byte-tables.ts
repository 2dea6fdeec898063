import iconv from 'iconv-lite';

/**
 * iconv-lite builds a double-byte codec's tables (GBK's: two JSON files read and some 30,000
 * entries laid out, about 10 ms) the first time the codec is asked for, and libmime asks for GBK's
 * when it loads, only to learn the decoder class every double-byte codec shares. So every cold start
 * paid for Chinese tables that a mail in Chinese alone needs. Imported before mailparser (and with
 * it libmime), this makes each double-byte codec build its tables when it first encodes or decodes:
 * its decoder and encoder classes are known without them, anything else it is asked builds them.
 * Mail in those charsets decodes as before (GBK, Big5, KS C 5601 in
 * test/integration/real-world-mail.test.ts).
 */
type Codec = Record<string | symbol, unknown>;
type CodecClass = { new (options: unknown, codecs: unknown): Codec; prototype: Codec };

const internals = iconv as unknown as {
  encodings: Record<string, unknown> | null;
  getCodec(name: string): unknown;
};
// iconv-lite reads its list of encodings when the first codec is asked for.
internals.getCodec('utf8');
const encodings = internals.encodings as Record<string, unknown>;
const DoubleByteCodec = encodings._dbcs as CodecClass;

function LazyDoubleByteCodec(options: unknown, codecs: unknown): Codec {
  let built: Codec | undefined;
  const codec = () => {
    built ??= new DoubleByteCodec(options, codecs);
    return built;
  };
  return new Proxy(
    {},
    {
      get: (_, key) =>
        key === 'decoder' || key === 'encoder' ? DoubleByteCodec.prototype[key] : codec()[key],
      has: (_, key) => key in codec(),
    },
  );
}

if (DoubleByteCodec.prototype.decoder && DoubleByteCodec.prototype.encoder)
  encodings._dbcs = LazyDoubleByteCodec;
