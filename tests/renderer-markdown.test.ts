/**
 * Lesson markdown (src/lessons/markdown.ts): full CommonMark through markdown-it, raw HTML off,
 * links only to web pages (never navigating the app), images only from the lesson's own files.
 */
import { describe, expect, it } from 'vitest';
import { markdownReferences, markdownToHtml } from '../src/lessons/markdown';

/** The tags an HTML text holds, in order. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]!);
}

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('markdownToHtml', () => {
  it('renders paragraphs; a single line break stays inside its paragraph', () => {
    expect(markdownToHtml('One line\nand the next.\n\nA second paragraph.')).toBe('<p>One line\nand the next.</p>\n<p>A second paragraph.</p>\n');
  });

  it('renders inline code, strong and emphasis, and leaves underscores inside names alone', () => {
    expect(markdownToHtml('`asyncio.run(main())` is **the** way, *really*, _truly_')).toBe(
      '<p><code>asyncio.run(main())</code> is <strong>the</strong> way, <em>really</em>, <em>truly</em></p>\n',
    );
    expect(markdownToHtml('print_nums and print_letters, `_UnixSelectorEventLoop`, 2 * 3 * 4')).toBe(
      '<p>print_nums and print_letters, <code>_UnixSelectorEventLoop</code>, 2 * 3 * 4</p>\n',
    );
  });

  it('shows raw HTML as text, never as HTML', () => {
    const html = markdownToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> `<b>` **<i>x</i>**\n\n<div>\nblock\n</div>\n\n<iframe src="https://e.com"></iframe>');
    expect(tags(html).filter((t) => !['p', 'code', 'strong'].includes(t))).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<code>&lt;b&gt;</code>');
    expect(html).toContain('<strong>&lt;i&gt;x&lt;/i&gt;</strong>');
    expect(html).toContain('&lt;iframe src=&quot;https://e.com&quot;&gt;&lt;/iframe&gt;');
  });

  it('renders fenced code blocks verbatim (escaped, no emphasis)', () => {
    expect(markdownToHtml('Before:\n\n```python\nasync def f():\n    return 2 * 3 * 4 < 5\n```\n\nAfter.')).toBe(
      '<p>Before:</p>\n<pre><code class="language-python">async def f():\n    return 2 * 3 * 4 &lt; 5\n</code></pre>\n<p>After.</p>\n',
    );
  });

  it('renders lists, nested lists, block quotes and tables (CommonMark and GitHub tables)', () => {
    expect(markdownToHtml('Watch:\n\n- **Running**: the task\n  that runs.\n- **Ready**: next.\n  1. first\n  2. second')).toBe(
      '<p>Watch:</p>\n<ul>\n<li><strong>Running</strong>: the task\nthat runs.</li>\n<li><strong>Ready</strong>: next.\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n</li>\n</ul>\n',
    );
    expect(markdownToHtml('3. three\n4. four')).toBe('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n');
    expect(markdownToHtml('> The loop\n> runs one task at a time.')).toBe('<blockquote>\n<p>The loop\nruns one task at a time.</p>\n</blockquote>\n');
    expect(tags(markdownToHtml('| task | wakes at |\n| --- | ---: |\n| `a` | 0.5 |'))).toEqual(
      ['table', 'thead', 'tr', 'th', 'th', 'th', 'th', 'tr', 'thead', 'tbody', 'tr', 'td', 'code', 'code', 'td', 'td', 'td', 'tr', 'tbody', 'table'],
    );
  });

  it('renders headings two levels below the pane’s own', () => {
    expect(markdownToHtml('# Top\n\n## More')).toBe('<h3>Top</h3>\n<h4>More</h4>\n');
  });

  it('makes links of http(s) addresses only, opening in a new window', () => {
    expect(markdownToHtml('[the docs](https://docs.python.org/3/library/asyncio.html)')).toBe(
      '<p><a href="https://docs.python.org/3/library/asyncio.html" target="_blank" rel="noopener noreferrer">the docs</a></p>\n',
    );
    // javascript: and data: addresses are not links; their text stays as written.
    expect(markdownToHtml('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
    expect(markdownToHtml('[x](JaVaScRiPt:alert(1)) <javascript:alert(1)>')).not.toContain('<a');
    expect(markdownToHtml('[x](data:text/html,<script>alert(1)</script>)')).not.toMatch(/<a|<script/);
    expect(markdownToHtml('[r]: javascript:alert(1)\n\n[go][r]')).not.toContain('<a');
    // An address inside the app keeps its text and loses the link: lessons never navigate the app.
    expect(markdownToHtml('[x](#/lesson/await)')).toBe('<p>x</p>\n');
    // A quote in an address cannot close the attribute.
    expect(markdownToHtml('[x](https://e.com/"onmouseover="alert(1))')).toBe(
      '<p><a href="https://e.com/%22onmouseover=%22alert(1)" target="_blank" rel="noopener noreferrer">x</a></p>\n',
    );
  });

  it('shows an image only when it is one of the lesson’s own files; never fetches one', () => {
    const images = { 'queue.png': PNG, 'img/clock.png': PNG };
    expect(markdownToHtml('![the ready queue](queue.png "FIFO")', images)).toBe(`<p><img src="${PNG}" alt="the ready queue" title="FIFO"></p>\n`);
    expect(markdownToHtml('![clock](./img/clock.png)', images)).toBe(`<p><img src="${PNG}" alt="clock"></p>\n`);
    // Remote, missing, absolute, escaping and data: images are shown as their alt text.
    for (const src of ['https://example.com/x.png', 'missing.png', '/etc/x.png', '../other/queue.png', 'data:image/png;base64,AAAA']) {
      const html = markdownToHtml(`![alt text](${src})`, images);
      expect(html, src).not.toContain('<img');
      expect(html, src).not.toContain('example.com/x.png"');
    }
    expect(markdownToHtml('![remote](https://example.com/x.png)', images)).toBe('<p><span class="missing-image">[remote]</span></p>\n');
    // An alt text cannot break out of its attribute.
    expect(markdownToHtml('![a "q" <b>](queue.png)', images)).toBe(`<p><img src="${PNG}" alt="a &quot;q&quot; &lt;b&gt;"></p>\n`);
  });

  it('renders every lesson text of the course with markdown’s own tags only', async () => {
    const { catalog } = await import('../src/lessons/bundled');
    const allowed = ['p', 'code', 'strong', 'em', 'ul', 'ol', 'li', 'pre', 'a', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];
    for (const lesson of catalog.lessons) {
      for (const text of [lesson.body, ...lesson.stops.map((s) => s.body)]) {
        expect(tags(markdownToHtml(text, lesson.images)).filter((tag) => !allowed.includes(tag))).toEqual([]);
      }
    }
  });
});

describe('markdownReferences', () => {
  it('finds every image and link with its line, whatever its address', () => {
    expect(markdownReferences('Intro\n\n![a](a.png) and\n[b](javascript:x)\n\n- ![c](https://e.com/c.png)')).toEqual([
      { kind: 'image', target: 'a.png', line: 3 },
      { kind: 'link', target: 'javascript:x', line: 4 },
      { kind: 'image', target: 'https://e.com/c.png', line: 6 },
    ]);
  });
});
