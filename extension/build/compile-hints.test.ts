import { describe, expect, it } from 'vitest';
import { COMPILE_HINT, withCompileHint } from './compile-hints';

describe('the compile hint', () => {
  it('opens every content script and nothing else the build writes', () => {
    expect(withCompileHint('content-scripts/salesforce.js', 'var x=1;')).toBe(`${COMPILE_HINT}\nvar x=1;`);
    for (const other of ['background.js', 'chunks/popup-1.js', 'popup.html'])
      expect(withCompileHint(other, 'var x=1;')).toBe('var x=1;');
  });
});
