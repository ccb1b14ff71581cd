/** The faults the emulator can inject; see `failRate` in ServerOptions. */
export type FaultKind = '500' | '503' | '429' | 'drop' | 'drop-after-commit';

/** Every fault kind: what `failRate` draws from when no `faults` are given. */
export const ALL_FAULTS: FaultKind[] = ['500', '503', '429', 'drop', 'drop-after-commit'];

/**
 * A seeded random number generator (mulberry32), values in [0, 1): the same seed gives the same
 * faults, so a failing run can be replayed.
 */
export function seededDice(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The fault to inject into one call, if any. A drop after commit only makes sense for a save (the
 * save is stored, the answer lost); on any other call it becomes a plain drop.
 */
export function drawFault(
  dice: () => number,
  { failRate, faults, isSave }: { failRate: number | undefined; faults: FaultKind[]; isSave: boolean },
): FaultKind | undefined {
  if (!failRate || dice() >= failRate) return undefined;
  const fault = faults[Math.floor(dice() * faults.length)];
  return fault === 'drop-after-commit' && !isSave ? 'drop' : fault;
}
