/**
 * The part of gifenc (https://github.com/mattdesl/gifenc, MIT) Loop Lab uses; the package ships
 * no types. Shapes from its README and src/index.js.
 */
declare module 'gifenc' {
  /** RGB(A) colours, 0–255 each. */
  export type Palette = number[][];
  export interface FrameOptions {
    palette?: Palette;
    /** How long the frame shows, in ms (written in hundredths of a second). */
    delay?: number;
    /** 0: loop forever; -1: play once. */
    repeat?: number;
    transparent?: boolean;
    dispose?: number;
    first?: boolean;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
    reset(): void;
  }
  export function GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder;
  /** A palette of at most `maxColors` for RGBA pixels. */
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Palette;
  /** Each pixel's index in `palette`. */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: 'rgb565' | 'rgb444' | 'rgba4444'): Uint8Array;
}
