import { StreamRestorer } from './stream-restorer';

const TOKEN = '⟦pii:email:AAAAAQ-abcdefghijklmnopqrstuvwxyz0123456789_-⟧';
const restore = async (t: string): Promise<string> => t.replaceAll(TOKEN, 'ada@example.com');

async function run(pieces: string[]): Promise<string[]> {
  const r = new StreamRestorer(restore);
  const out: string[] = [];
  for (const p of pieces) out.push(await r.push(p));
  out.push(await r.end());
  return out;
}

describe('StreamRestorer', () => {
  it('puts back a token split over several pieces, holding only the unfinished token', async () => {
    const text = `Write to ${TOKEN} today.`;
    const cut = [9, 12, 15, 30, 50, text.length - 5];
    const pieces = cut.map((c, i) => text.slice(i === 0 ? 0 : cut[i - 1], c)).concat(text.slice(cut.at(-1)));
    const out = await run(pieces);
    expect(out.join('')).toBe('Write to ada@example.com today.');
    expect(out[0]).toBe('Write to '); // text before the token passes at once
    expect(out.slice(1, 5).every((p) => p === '')).toBe(true); // the token's pieces are held
  });

  it('passes a bracket that cannot start a token at once, and flushes an unfinished tail at the end', async () => {
    expect(await run(['a ⟦note⟧ b'])).toEqual(['a ⟦note⟧ b', '']);
    expect(await run(['tail ⟦pii:em'])).toEqual(['tail ', '⟦pii:em']);
  });

  it('gives exactly the whole-text restoration for any cut', async () => {
    const text = `${TOKEN} and ${TOKEN}, ⟦x ⟦pii:phone:zz`;
    const whole = await restore(text);
    for (let step = 1; step <= 7; step++) {
      const pieces: string[] = [];
      for (let i = 0; i < text.length; i += step) pieces.push(text.slice(i, i + step));
      expect((await run(pieces)).join('')).toBe(whole);
    }
  });
});
