/**
 * A data key's life: `active` encrypts new data (one per scope: the highest version);
 * rotation retires it (still decrypts); erasure destroys it (its wrapped bytes are removed and
 * everything sealed under it is unreadable for good). Nothing comes back from destroyed.
 */
export type DataKeyState = 'active' | 'retired' | 'destroyed';

export const DATA_KEY_TRANSITIONS: Readonly<Record<DataKeyState, readonly DataKeyState[]>> = {
  active: ['retired', 'destroyed'],
  retired: ['destroyed'],
  destroyed: [],
};

export const canMove = (from: DataKeyState, to: DataKeyState): boolean => DATA_KEY_TRANSITIONS[from].includes(to);
