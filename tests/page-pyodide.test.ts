/**
 * The standard library's Response as a worker hands it to Pyodide (src/runtime/page-pyodide.ts,
 * readByItself): its bytes are the Blob's, read by the Blob itself, and the rest is a Response's.
 */
import { describe, expect, it, vi } from 'vitest';
import { readByItself } from '../src/runtime/page-pyodide';

describe('the standard library handed to Pyodide', () => {
  it('is read by the Blob’s own arrayBuffer(), whole, as often as asked', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const blob = new Blob([bytes]);
    const read = vi.spyOn(blob, 'arrayBuffer');
    const response = readByItself(blob);
    expect(response.ok).toBe(true);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('is a Response still, whose body streams the same bytes', async () => {
    const blob = new Blob(['zip bytes']);
    const response = readByItself(blob);
    expect(response).toBeInstanceOf(Response);
    expect(await response.text()).toBe('zip bytes');
  });
});
