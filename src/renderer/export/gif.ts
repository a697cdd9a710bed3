/**
 * Animated GIFs with gifenc (https://github.com/mattdesl/gifenc): each frame gets its own
 * 256-colour palette (the board's colours are flat, which quantizes well), and its own delay.
 */
import { applyPalette, GIFEncoder, quantize } from 'gifenc';

export class GifWriter {
  readonly #encoder = GIFEncoder();
  #frames = 0;

  /** Adds a frame shown for `delayMs` (GIFs count in hundredths of a second; 20 ms is the least browsers keep). */
  add(canvas: HTMLCanvasElement, delayMs: number): void {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This browser cannot read pictures back (no 2D canvas).');
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const palette = quantize(data, 256, { format: 'rgb565' });
    const index = applyPalette(data, palette, 'rgb565');
    this.#encoder.writeFrame(index, width, height, { palette, delay: Math.max(20, Math.round(delayMs)), repeat: 0 });
    this.#frames++;
  }

  get frames(): number {
    return this.#frames;
  }

  /** The finished file. */
  finish(): Blob {
    this.#encoder.finish();
    return new Blob([this.#encoder.bytes().slice()], { type: 'image/gif' });
  }
}
