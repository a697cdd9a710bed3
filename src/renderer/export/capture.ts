/**
 * Pictures of the player as it is on screen: the code pane and the board side by side, drawn by
 * modern-screenshot (DOM → SVG foreignObject → canvas; it follows shadow roots, so the editor's
 * shadow DOM comes along, and keeps each pane's scroll position), with the step and its sentence
 * written under them. Works under the app's policy: the SVG is loaded as a `data:`/`blob:`
 * image (img-src allows both), no `<style>` enters the page, nothing is fetched (no web fonts).
 */
import { type Context, createContext, destroyContext, domToCanvas } from 'modern-screenshot';

/** What a picture leaves out: the panes' own buttons. */
const LEFT_OUT = '.actions, button.more, .show-all';

/** Space between and around the panes, in CSS px (scaled with the picture). */
const GAP = 12;

export interface Caption {
  /** "Step 12 of 173". */
  step: string;
  /** What the loop just did. */
  sentence: string;
}

/** Reads the page's colours and fonts, so the picture matches the theme on screen. */
function look(): { background: string; foreground: string; muted: string; accent: string; sans: string } {
  const style = getComputedStyle(document.documentElement);
  const value = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    background: value('--bg', '#ffffff'),
    foreground: value('--fg', '#111418'),
    muted: value('--muted', '#4a5260'),
    accent: value('--accent', '#0a58ca'),
    sans: value('--sans', 'sans-serif'),
  };
}

/** Words into lines no wider than `width` (canvas text measure). */
function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && context.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A camera on some panes of the page: `shoot()` draws them as they are now, side by side, with
 * a caption, at `scale` device pixels per CSS pixel. Reuses its work between shots (a GIF takes
 * one per step); `close()` when done.
 */
export class Camera {
  readonly #parts: HTMLElement[];
  readonly #scale: number;
  #contexts: Promise<Context<HTMLElement>>[] | null = null;

  constructor(parts: HTMLElement[], scale: number) {
    this.#parts = parts;
    this.#scale = scale;
  }

  /** The picture's size in device pixels (even numbers: video encoders ask for them). */
  size(captionLines = 2): { width: number; height: number } {
    const widths = this.#parts.map((p) => p.getBoundingClientRect().width);
    const heights = this.#parts.map((p) => p.getBoundingClientRect().height);
    const width = widths.reduce((a, b) => a + b, 0) + GAP * (this.#parts.length + 1);
    const height = Math.max(...heights) + GAP * 2 + captionHeight(captionLines);
    const even = (n: number): number => 2 * Math.ceil((n * this.#scale) / 2);
    return { width: even(width), height: even(height) };
  }

  async shoot(caption: Caption, size = this.size()): Promise<HTMLCanvasElement> {
    const colours = look();
    this.#contexts ??= this.#parts.map((part) =>
      createContext(part, {
        scale: this.#scale,
        font: false,
        backgroundColor: colours.background,
        autoDestruct: false,
        // The pane's buttons (Run, Show all …) are for the screen, not the picture.
        filter: (node) => !(node instanceof Element && node.matches(LEFT_OUT)),
        // A card out of its lane's sight is not laid out on screen (Lane.svelte's
        // content-visibility): the picture, a page of its own, draws every card in full.
        onCloneEachNode: (node) => {
          const style = (node as Partial<ElementCSSInlineStyle>).style;
          if (style && style.getPropertyValue('content-visibility') === 'auto') style.setProperty('content-visibility', 'visible');
        },
      }),
    );
    const shots: HTMLCanvasElement[] = [];
    for (const context of this.#contexts) shots.push(await domToCanvas(await context));
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const draw = canvas.getContext('2d');
    if (!draw) throw new Error('This browser cannot draw pictures (no 2D canvas).');
    draw.fillStyle = colours.background;
    draw.fillRect(0, 0, size.width, size.height);
    const s = this.#scale;
    let x = GAP * s;
    let bottom = 0;
    for (const shot of shots) {
      draw.drawImage(shot, x, GAP * s);
      x += shot.width + GAP * s;
      bottom = Math.max(bottom, GAP * s + shot.height);
    }
    // The caption: the step in the accent colour, then the sentence.
    const fontSize = 17 * s;
    draw.font = `600 ${fontSize}px ${colours.sans}`;
    draw.textBaseline = 'top';
    const left = GAP * s;
    let y = bottom + GAP * s * 0.8;
    draw.fillStyle = colours.accent;
    draw.fillText(caption.step, left, y);
    const stepWidth = draw.measureText(`${caption.step}  `).width;
    draw.font = `400 ${fontSize}px ${colours.sans}`;
    draw.fillStyle = colours.foreground;
    const lines = wrap(draw, caption.sentence, size.width - left * 2 - stepWidth);
    for (const line of lines.slice(0, 2)) {
      draw.fillText(line, left + stepWidth, y);
      y += fontSize * 1.35;
    }
    return canvas;
  }

  close(): void {
    for (const context of this.#contexts ?? []) void context.then(destroyContext);
    this.#contexts = null;
  }
}

/** Height of the caption band, in CSS px. */
function captionHeight(lines: number): number {
  return GAP * 0.8 + lines * 17 * 1.35 + GAP * 0.4;
}

/** A canvas as a PNG file. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be made.'))), 'image/png'),
  );
}
