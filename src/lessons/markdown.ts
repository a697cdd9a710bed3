/**
 * Lesson markdown: CommonMark (plus tables and ~~strikethrough~~) rendered by markdown-it, with
 * raw HTML off, for built-in lessons and teachers' packs alike. Whatever a lesson file holds,
 * the HTML this makes holds only markdown-it's own tags:
 *
 * - raw HTML (`<script>`, `<img onerror=…>`) is shown as text, never as HTML (`html: false`);
 * - a link becomes a link only when it goes to an http(s) address; it opens in a new window
 *   (the Electron shell hands it to the learner's browser) and never navigates the app. Any
 *   other address (`javascript:`, `data:`, `file:`, `#/…`, a relative path) leaves its text alone;
 * - an image is shown only when it is one of the lesson's own images (`lesson.images`: the
 *   loader turned the image files inside the lesson folder into `data:` URLs); a remote image
 *   or one that is not in the folder is shown as its alt text in brackets, and nothing is fetched;
 * - headings are drawn two levels below the pane's own (`#` → h3).
 *
 * `markdownReferences` finds the images and links a text asks for, with their lines, so the
 * loader can report the ones that will not be shown.
 */
import MarkdownIt, { type Env, type RendererRule as RenderRule, type Token } from 'markdown-it';

const WEB_ADDRESS = /^https?:\/\//i;
/** A path inside the lesson folder: no scheme, not absolute, no `..`, no backslash. */
const INSIDE_PATH = /^(?![a-z][a-z0-9+.-]*:)(?![/\\])(?!.*(?:^|\/)\.\.(?:\/|$))[^\\]+$/i;

/** Renders lesson text; only http(s) links and (for images) paths inside the lesson survive validation. */
const renderer = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
renderer.validateLink = (url: string): boolean => WEB_ADDRESS.test(url.trim()) || INSIDE_PATH.test(url.trim());

/** Parses only, accepting any address, so that the loader sees every link and image a text asks for. */
const scanner = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
scanner.validateLink = (): boolean => true;

/** What the renderer is given besides the text: the lesson's images (markdown-it's env is an open record). */
interface RenderEnv extends Env {
  images?: Readonly<Record<string, string>>;
}

// Links: only web addresses become <a>; the others keep their text and lose the anchor.
renderer.core.ruler.push('loop-lab-links', (state) => {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const dropped: Token[] = [];
    block.children = block.children.filter((token) => {
      if (token.type === 'link_open') {
        if (WEB_ADDRESS.test(String(token.attrGet('href') ?? ''))) {
          token.attrSet('target', '_blank');
          token.attrSet('rel', 'noopener noreferrer');
          dropped.push(token);
          return true;
        }
        dropped.push(token);
        token.meta = { dropped: true };
        return false;
      }
      if (token.type === 'link_close') {
        const open = dropped.pop();
        return !(open?.meta as { dropped?: boolean } | null)?.dropped;
      }
      return true;
    });
  }
});

const image: RenderRule = (tokens, index, options, env?: RenderEnv) => {
  const token = tokens[index]!;
  const src = String(token.attrGet('src') ?? '').trim();
  const alt = renderer.utils.escapeHtml(renderer.renderer.renderInlineAsText(token.children ?? [], options, env ?? {}));
  const url = env?.images?.[normalizeImagePath(src)];
  if (url !== undefined && url.startsWith('data:image/')) {
    const title = token.attrGet('title');
    // (a title is text in a lesson file; markdown-it types attributes as string | number)
    return `<img src="${renderer.utils.escapeHtml(url)}" alt="${alt}"${title ? ` title="${renderer.utils.escapeHtml(String(title))}"` : ''}>`;
  }
  return `<span class="missing-image">[${alt || 'image'}]</span>`;
};
renderer.renderer.rules.image = image;

const headingOpen: RenderRule = (tokens, index) => `<h${shiftedLevel(tokens[index]!)}>`;
const headingClose: RenderRule = (tokens, index) => `</h${shiftedLevel(tokens[index]!)}>\n`;
renderer.renderer.rules.heading_open = headingOpen;
renderer.renderer.rules.heading_close = headingClose;

function shiftedLevel(token: Token): number {
  return Math.min(6, Number(token.tag.slice(1)) + 2);
}

/** `./img/a.png` and `img/a.png` name the same image; keys of `images` are written the second way. */
export function normalizeImagePath(src: string): string {
  let path = src;
  try {
    path = decodeURI(src);
  } catch {
    // a malformed escape: look the path up as written
  }
  return path.replace(/^(\.\/)+/, '');
}

/** The lesson text as HTML: safe to put in the page, whatever the lesson file holds. */
export function markdownToHtml(source: string, images: Readonly<Record<string, string>> = {}): string {
  const env: RenderEnv = { images };
  return renderer.render(source, env);
}

export interface MarkdownReference {
  kind: 'image' | 'link';
  /** The address as written. */
  target: string;
  /** 1-based, counted from the first line of the text given. */
  line: number;
}

/** Every image and link the text asks for, with its line. */
export function markdownReferences(source: string): MarkdownReference[] {
  const found: MarkdownReference[] = [];
  const walk = (children: readonly Token[], firstLine: number): void => {
    let line = firstLine;
    for (const token of children) {
      if (token.type === 'softbreak' || token.type === 'hardbreak') line++;
      else if (token.type === 'image') found.push({ kind: 'image', target: String(token.attrGet('src') ?? ''), line });
      else if (token.type === 'link_open') found.push({ kind: 'link', target: String(token.attrGet('href') ?? ''), line });
      if (token.type === 'image' && token.children) walk(token.children, line);
    }
  };
  for (const block of scanner.parse(source, {})) {
    if (block.type === 'inline' && block.children) walk(block.children, (block.map?.[0] ?? 0) + 1);
  }
  return found;
}

/** Is this link address one that becomes a link? */
export function isWebAddress(target: string): boolean {
  return WEB_ADDRESS.test(target.trim());
}

/** Is this image path one that can name a file inside the lesson folder? */
export function isInsidePath(target: string): boolean {
  return INSIDE_PATH.test(target.trim());
}
