/**
 * WebM video with mediabunny (https://mediabunny.dev, MPL-2.0): frames drawn on a canvas are
 * encoded by the browser's own VP9 encoder (WebCodecs) and muxed into WebM, each frame lasting
 * its step's time, faster than real time (MediaRecorder would record in real time, a 170-step
 * run at 1× taking over a minute to export).
 */
import { BufferTarget, CanvasSource, Output, QUALITY_HIGH, WebMOutputFormat } from 'mediabunny';

/** True where this browser can encode the video (WebCodecs). */
export function canWriteWebm(): boolean {
  return typeof VideoEncoder === 'function';
}

export class WebmWriter {
  readonly #canvas: HTMLCanvasElement;
  readonly #draw: CanvasRenderingContext2D;
  readonly #output: Output<WebMOutputFormat, BufferTarget>;
  readonly #source: CanvasSource;
  #started: Promise<void>;
  /** Where the next frame starts, in seconds. */
  #time = 0;

  constructor(width: number, height: number) {
    this.#canvas = document.createElement('canvas');
    this.#canvas.width = width;
    this.#canvas.height = height;
    const draw = this.#canvas.getContext('2d');
    if (!draw) throw new Error('This browser cannot draw pictures (no 2D canvas).');
    this.#draw = draw;
    this.#output = new Output({ format: new WebMOutputFormat(), target: new BufferTarget() });
    this.#source = new CanvasSource(this.#canvas, { codec: 'vp9', bitrate: QUALITY_HIGH });
    this.#output.addVideoTrack(this.#source);
    this.#started = this.#output.start();
  }

  /** Adds a frame shown for `durationMs`. */
  async add(frame: HTMLCanvasElement, durationMs: number): Promise<void> {
    await this.#started;
    this.#draw.drawImage(frame, 0, 0);
    const duration = Math.max(0.02, durationMs / 1000);
    await this.#source.add(this.#time, duration);
    this.#time += duration;
  }

  async finish(): Promise<Blob> {
    await this.#started;
    await this.#output.finalize();
    const buffer = this.#output.target.buffer;
    if (!buffer) throw new Error('The video could not be made.');
    return new Blob([buffer], { type: 'video/webm' });
  }

  cancel(): void {
    void this.#started.then(() => this.#output.cancel());
  }
}
