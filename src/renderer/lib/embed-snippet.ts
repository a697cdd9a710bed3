/**
 * The `<iframe>` snippet the Share dialog offers for a course page or slides: the embed page
 * (embed.html, the one page of the app other sites may frame) at 800 × 500, with a title for
 * screen readers, loaded only when scrolled near (each frame that plays has its own player).
 */

/** The size the embed page is laid out for, in CSS pixels. */
export const EMBED_SIZE = { width: 800, height: 500 } as const;

function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function embedSnippet(url: string, title: string): string {
  return (
    `<iframe src="${attribute(url)}" title="${attribute(`Loop Lab: ${title}`)}" ` +
    `width="${EMBED_SIZE.width}" height="${EMBED_SIZE.height}" loading="lazy" ` +
    `style="border: 1px solid #b9bec7; border-radius: 8px; max-width: 100%;"></iframe>`
  );
}
