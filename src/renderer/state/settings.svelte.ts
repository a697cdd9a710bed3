/**
 * The learner's view settings: theme, presentation zoom, the Loop internals toggle. They
 * survive a new run and a reload (localStorage); the theme follows the system's light or dark
 * preference until the learner picks one.
 */
import { MediaQuery } from 'svelte/reactivity';

export type Theme = 'light' | 'dark';

export const ZOOMS = [1, 1.25, 1.5] as const;
export type Zoom = (typeof ZOOMS)[number];

const KEY = 'loop-lab:settings';

interface Stored {
  theme?: Theme;
  zoom?: number;
  internals?: boolean;
  speed?: number;
}

function load(): Stored {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    const value: unknown = raw ? JSON.parse(raw) : {};
    return typeof value === 'object' && value !== null ? (value as Stored) : {};
  } catch {
    return {};
  }
}

export class Settings {
  readonly #systemDark = new MediaQuery('(prefers-color-scheme: dark)', false);
  readonly #reducedMotion = new MediaQuery('(prefers-reduced-motion: reduce)', false);
  #theme = $state<Theme | null>(null);
  #zoom = $state<Zoom>(1);
  #internals = $state(false);

  constructor() {
    const stored = load();
    if (stored.theme === 'light' || stored.theme === 'dark') this.#theme = stored.theme;
    const zoom = ZOOMS.find((z) => z === stored.zoom);
    if (zoom) this.#zoom = zoom;
    this.#internals = stored.internals === true;
  }

  get theme(): Theme {
    return this.#theme ?? (this.#systemDark.current ? 'dark' : 'light');
  }

  set theme(theme: Theme) {
    this.#theme = theme;
    this.save();
  }

  toggleTheme(): void {
    this.theme = this.theme === 'dark' ? 'light' : 'dark';
  }

  get zoom(): Zoom {
    return this.#zoom;
  }

  set zoom(zoom: Zoom) {
    this.#zoom = zoom;
    this.save();
  }

  /** Show plain callbacks, asyncio's own tasks and the timer heap. */
  get internals(): boolean {
    return this.#internals;
  }

  set internals(on: boolean) {
    this.#internals = on;
    this.save();
  }

  get reducedMotion(): boolean {
    return this.#reducedMotion.current;
  }

  /** Saved speed, read once by the player. */
  storedSpeed(): number | undefined {
    const speed = load().speed;
    return typeof speed === 'number' ? speed : undefined;
  }

  saveSpeed(speed: number): void {
    this.save({ speed });
  }

  private save(extra: Stored = {}): void {
    try {
      const value: Stored = { ...load(), ...extra, zoom: this.#zoom, internals: this.#internals };
      if (this.#theme) value.theme = this.#theme;
      globalThis.localStorage?.setItem(KEY, JSON.stringify(value));
    } catch {
      // Storage may be unavailable (private windows, a locked-down browser): settings then last one session.
    }
  }
}
