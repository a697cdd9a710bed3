/**
 * A small markdown renderer for lesson text, escape first: every character of the lesson is
 * HTML-escaped before any markup is added, so a lesson file can never put raw HTML (a script,
 * an iframe, an event handler) on the page. What it understands is what lessons use:
 *
 * - paragraphs (blank lines between them; single line breaks join into one paragraph);
 * - `inline code`, **strong**, *emphasis* and _emphasis_;
 * - fenced code blocks (```python … ```);
 * - lists: `- item`, `* item` and `1. item`, with indented continuation lines;
 * - headings (`#`, `##`, `###`), drawn a level below the pane's own headings;
 * - links `[text](https://…)`: only http(s) addresses, opened in a new window (the Electron
 *   shell hands them to the learner's browser), never navigating the app. Any other address
 *   is shown as plain text.
 */
import { escapeHtml } from './console-html';

type Block =
  | { kind: 'p'; text: string }
  | { kind: 'code'; text: string; lang: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }
  | { kind: 'heading'; level: number; text: string };

const FENCE = /^\s*(```|~~~)\s*([\w+-]*)\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: Extract<Block, { kind: 'list' }> | null = null;

  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'p', text: paragraph.join(' ') });
    paragraph = [];
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      let j = i + 1;
      while (j < lines.length && !new RegExp(`^\\s*${fence[1]}\\s*$`).test(lines[j]!)) body.push(lines[j++]!);
      blocks.push({ kind: 'code', text: body.join('\n'), lang: fence[2] ?? '' });
      i = j; // the closing fence (or the end)
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const text = bullet ? bullet[1]! : numbered![2]!;
      if (paragraph.length > 0) {
        blocks.push({ kind: 'p', text: paragraph.join(' ') });
        paragraph = [];
      }
      if (!list || list.ordered !== ordered) {
        list = { kind: 'list', ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
        blocks.push(list);
      }
      list.items.push(text);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      // An indented line under a list item continues it.
      const items: string[] = list.items;
      items[items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) list = null;
    paragraph.push(line.trim());
  }
  flush();
  return blocks;
}

/** Emphasis and links on text that is already escaped. */
function spans(escaped: string): string {
  const link = /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;
  let html = '';
  let from = 0;
  for (const match of escaped.matchAll(link)) {
    html += emphasis(escaped.slice(from, match.index));
    html += `<a href="${match[2]!}" target="_blank" rel="noopener noreferrer">${emphasis(match[1]!)}</a>`;
    from = match.index + match[0].length;
  }
  return html + emphasis(escaped.slice(from));
}

function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)(.+?)(?<=\S)_(?!\w)/g, '$1<em>$2</em>');
}

/** One line of text: code spans are kept verbatim (escaped), the rest gets emphasis and links. */
export function inlineHtml(text: string): string {
  let html = '';
  const parts = text.split(/(`+)/);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.startsWith('`')) {
      // A code span runs to the next run of the same number of backticks.
      const close = parts.indexOf(part, i + 1);
      if (close > i) {
        const code = parts.slice(i + 1, close).join('');
        html += `<code>${escapeHtml(code.trim() === '' ? code : code.replace(/^ (.*) $/, '$1'))}</code>`;
        i = close;
        continue;
      }
    }
    html += spans(escapeHtml(part));
  }
  return html;
}

/** The lesson text as HTML: safe to put in the page, whatever the lesson file holds. */
export function markdownToHtml(source: string): string {
  return parseBlocks(source)
    .map((block) => {
      switch (block.kind) {
        case 'p':
          return `<p>${inlineHtml(block.text)}</p>`;
        case 'code': {
          const lang = block.lang ? ` class="language-${escapeHtml(block.lang)}"` : '';
          return `<pre><code${lang}>${escapeHtml(block.text)}</code></pre>`;
        }
        case 'heading': {
          const level = Math.min(6, block.level + 2);
          return `<h${level}>${inlineHtml(block.text)}</h${level}>`;
        }
        case 'list': {
          const tag = block.ordered ? 'ol' : 'ul';
          const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
          return `<${tag}${start}>${block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('')}</${tag}>`;
        }
      }
    })
    .join('\n');
}
