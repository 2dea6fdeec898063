// Phrase detection on the held-out labelled sentences (test/fixtures/phrases/held-out.json, written by
// hand before the phrase lists and never used to tune them): precision and recall per signal and
// overall (micro-averaged over the four signals), with the counts behind them.
import { readFile } from 'node:fs/promises';
import { detectSignals, type SignalName, signalNames } from '#domain/phrases.ts';
import { report } from './measure.ts';

type Labelled = { lang: string; signals: SignalName[]; text: string };
type Counts = { tp: number; fp: number; fn: number };

const heldOut = new URL('../test/fixtures/phrases/held-out.json', import.meta.url);

function figures({ tp, fp, fn }: Counts): Record<string, number> {
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    tp,
    fp,
    fn,
  };
}

export async function run(): Promise<void> {
  const { sentences } = JSON.parse(await readFile(heldOut, 'utf8')) as { sentences: Labelled[] };
  const counts = Object.fromEntries(
    signalNames.map((signal) => [signal, { tp: 0, fp: 0, fn: 0 }]),
  ) as Record<SignalName, Counts>;
  for (const { signals: labels, text } of sentences) {
    const found = detectSignals(text);
    for (const signal of signalNames) {
      const labelled = labels.includes(signal);
      const heard = found[signal] !== undefined;
      if (labelled && heard) counts[signal].tp++;
      else if (heard) counts[signal].fp++;
      else if (labelled) counts[signal].fn++;
    }
  }
  for (const signal of signalNames)
    report(`${signal}, ${sentences.length} held-out sentences`, figures(counts[signal]));
  const all = Object.values(counts).reduce((sum, c) => ({
    tp: sum.tp + c.tp,
    fp: sum.fp + c.fp,
    fn: sum.fn + c.fn,
  }));
  report('all signals (micro-averaged)', figures(all));
}
