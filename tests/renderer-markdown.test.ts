/** The lesson text renderer: escape first, a few markdown forms, links that never navigate the app. */
import { describe, expect, it } from 'vitest';
import { inlineHtml, markdownToHtml } from '../src/renderer/lib/markdown';

describe('markdownToHtml', () => {
  it('renders paragraphs, joining single line breaks', () => {
    expect(markdownToHtml('One line\nand the next.\n\nA second paragraph.')).toBe('<p>One line and the next.</p>\n<p>A second paragraph.</p>');
  });

  it('renders inline code, strong and emphasis', () => {
    expect(inlineHtml('`asyncio.run(main())` is **the** way, *really*, _truly_')).toBe(
      '<code>asyncio.run(main())</code> is <strong>the</strong> way, <em>really</em>, <em>truly</em>',
    );
  });

  it('leaves underscores inside names and code alone', () => {
    expect(inlineHtml('print_nums and print_letters, `_UnixSelectorEventLoop`')).toBe(
      'print_nums and print_letters, <code>_UnixSelectorEventLoop</code>',
    );
    expect(inlineHtml('2 * 3 * 4')).toBe('2 * 3 * 4');
  });

  it('escapes every character of the lesson before adding its own tags', () => {
    const html = markdownToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> `<b>` **<i>x</i>**');
    expect(html).not.toMatch(/<script|<img|<b>|<i>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<code>&lt;b&gt;</code>');
    expect(html).toContain('<strong>&lt;i&gt;x&lt;/i&gt;</strong>');
    expect(inlineHtml('<coroutine object greet at 0x…>')).toBe('&lt;coroutine object greet at 0x…&gt;');
  });

  it('renders fenced code blocks verbatim (escaped, no emphasis)', () => {
    expect(markdownToHtml('Before:\n\n```python\nasync def f():\n    return 2 * 3 * 4 < 5\n```\n\nAfter.')).toBe(
      '<p>Before:</p>\n<pre><code class="language-python">async def f():\n    return 2 * 3 * 4 &lt; 5</code></pre>\n<p>After.</p>',
    );
  });

  it('renders bullet and numbered lists, with continuation lines', () => {
    expect(markdownToHtml('Watch:\n\n- **Running**: the task\n  that runs.\n- **Ready**: next.')).toBe(
      '<p>Watch:</p>\n<ul><li><strong>Running</strong>: the task that runs.</li><li><strong>Ready</strong>: next.</li></ul>',
    );
    expect(markdownToHtml('1. one\n2. two\n\n3. three')).toBe('<ol><li>one</li><li>two</li></ol>\n<ol start="3"><li>three</li></ol>');
  });

  it('renders headings a level below the pane’s own', () => {
    expect(markdownToHtml('## More')).toBe('<h4>More</h4>');
  });

  it('makes links of http(s) addresses only, opening in a new window', () => {
    expect(inlineHtml('[the docs](https://docs.python.org/3/library/asyncio.html)')).toBe(
      '<a href="https://docs.python.org/3/library/asyncio.html" target="_blank" rel="noopener noreferrer">the docs</a>',
    );
    expect(inlineHtml('[x](javascript:alert(1))')).toBe('[x](javascript:alert(1))');
    expect(inlineHtml('[x](#/lesson/await)')).toBe('[x](#/lesson/await)');
    // A quote in an address cannot close the attribute.
    expect(inlineHtml('[x](https://e.com/"onmouseover="alert(1))')).toBe(
      '<a href="https://e.com/&quot;onmouseover=&quot;alert(1" target="_blank" rel="noopener noreferrer">x</a>)',
    );
    // Emphasis never reaches inside an address.
    expect(inlineHtml('[a_b](https://e.com/a_b_c)')).toBe('<a href="https://e.com/a_b_c" target="_blank" rel="noopener noreferrer">a_b</a>');
  });

  it('renders every lesson text of the course without raw HTML', async () => {
    const { catalog } = await import('../src/lessons/bundled');
    for (const lesson of catalog.lessons) {
      for (const text of [lesson.body, ...lesson.stops.map((s) => s.body)]) {
        const html = markdownToHtml(text);
        const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]);
        const allowed = ['p', 'code', 'strong', 'em', 'ul', 'ol', 'li', 'pre', 'a', 'h3', 'h4', 'h5', 'h6'];
        expect(tags.filter((tag) => !allowed.includes(tag!))).toEqual([]);
      }
    }
  });
});
