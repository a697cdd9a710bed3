/** "Updated to x.y": said once, at the first start on a new version; never on a first start. */
import { describe, expect, it } from 'vitest';
import { versionNoteAtStart } from '../src/renderer/lib/version-note';
import { MemoryStorage } from './memory-storage';

describe('versionNoteAtStart', () => {
  it('says nothing on the first start ever, then nothing while the version stays', () => {
    const storage = new MemoryStorage();
    expect(versionNoteAtStart('0.1.0', storage)).toBeNull();
    expect(versionNoteAtStart('0.1.0', storage)).toBeNull();
  });

  it('says "Updated to" the new version at the first start on it, and only then', () => {
    const storage = new MemoryStorage();
    versionNoteAtStart('0.1.0', storage);
    expect(versionNoteAtStart('0.2.0', storage)).toBe('Updated to 0.2.0');
    expect(versionNoteAtStart('0.2.0', storage)).toBeNull();
  });

  it('says nothing when it cannot remember (no storage, or storage that refuses)', () => {
    expect(versionNoteAtStart('0.2.0', null)).toBeNull();
    const full = new MemoryStorage();
    full.setItem('loop-lab:version', '0.1.0');
    full.full = true;
    expect(versionNoteAtStart('0.2.0', full)).toBeNull();
  });
});
