/**
 * HTML → main-content text with a real HTML5 parser (parse5). Heuristics after trafilatura
 * and jusText (Pomikálek 2011): markup that is never content (script, style, nav, header,
 * footer, aside, form…) and elements whose role/class/id name boilerplate are skipped;
 * when the page marks its content with <main>/<article>/role=main only that is read;
 * the remaining text is cut into blocks (paragraphs, headings, list items, cells) and
 * blocks that are mostly link text (menus, tag clouds, "related" lists) are dropped.
 * Headings and paragraphs become paragraphs separated by a blank line; list items
 * become `- item` lines; <pre> keeps its whitespace.
 */
import { parse } from 'parse5';

export interface HtmlToTextOptions {
  /** Blocks whose share of characters inside <a> exceeds this are boilerplate (jusText uses 0.2–0.5). */
  readonly maxLinkDensity: number;
  /** Prefer <main>/<article>/[role=main] when the page has them. */
  readonly preferMainContent: boolean;
}

export const HTML_TO_TEXT_DEFAULTS: HtmlToTextOptions = Object.freeze({ maxLinkDensity: 0.5, preferMainContent: true });

interface Node {
  readonly nodeName: string;
  readonly tagName?: string;
  readonly value?: string;
  readonly attrs?: readonly { name: string; value: string }[];
  readonly childNodes?: readonly Node[];
}

const SKIP = new Set([
  'head', 'script', 'style', 'noscript', 'template', 'nav', 'aside', 'form', 'iframe', 'svg', 'canvas',
  'button', 'select', 'input', 'textarea', 'menu', 'dialog', 'object', 'embed', 'video', 'audio', 'map', 'math',
]);
// Page chrome unless it sits inside the content (an article's own <header> holds its title).
const CHROME = new Set(['header', 'footer']);
const SKIP_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'search', 'menu', 'menubar', 'dialog', 'alert']);
const BOILERPLATE_NAME =
  /(?:^|[\s_-])(?:nav|navbar|navigation|menu|footer|sidebar|breadcrumbs?|cookies?|consent|banner|advert\w*|ads?|share|sharing|social|related|comments?|popup|modal|newsletter|subscribe|skip-link|pagination)(?:$|[\s_-])/i;
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'body', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'table', 'thead',
  'tbody', 'tfoot', 'tr', 'figure', 'figcaption', 'address', 'details', 'summary', 'fieldset', 'caption', 'hr',
  'center', 'header', 'footer', 'hgroup',
]);
const CELLS = new Set(['td', 'th']);

type BlockKind = 'paragraph' | 'heading' | 'item' | 'pre';
interface Block {
  kind: BlockKind;
  text: string;
  linkChars: number;
}

const attr = (n: Node, name: string): string | undefined => n.attrs?.find((a) => a.name === name)?.value;

function isHidden(n: Node): boolean {
  if (attr(n, 'hidden') !== undefined || attr(n, 'aria-hidden') === 'true') return true;
  const style = attr(n, 'style');
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

function isBoilerplate(n: Node): boolean {
  const role = attr(n, 'role');
  if (role !== undefined && SKIP_ROLES.has(role)) return true;
  const cls = attr(n, 'class');
  const id = attr(n, 'id');
  return (cls !== undefined && BOILERPLATE_NAME.test(cls)) || (id !== undefined && BOILERPLATE_NAME.test(id));
}

const isMain = (n: Node): boolean => n.tagName === 'main' || n.tagName === 'article' || attr(n, 'role') === 'main';

class BlockCollector {
  readonly blocks: Block[] = [];
  private current: Block | null = null;

  open(kind: BlockKind): void {
    this.close();
    this.current = { kind, text: '', linkChars: 0 };
  }

  close(): void {
    const b = this.current;
    this.current = null;
    if (b === null) return;
    b.text = b.kind === 'pre' ? b.text.replace(/^\n+|\s+$/g, '') : b.text.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').trim();
    if (b.text.length > 0) this.blocks.push(b);
  }

  text(value: string, inLink: boolean): void {
    if (this.current === null) this.current = { kind: 'paragraph', text: '', linkChars: 0 };
    this.current.text += value;
    if (inLink) this.current.linkChars += value.replace(/\s+/g, '').length;
  }

  kind(): BlockKind | null {
    return this.current?.kind ?? null;
  }
}

function walk(node: Node, out: BlockCollector, ctx: { inLink: boolean; inContent: boolean; inPre: boolean }): void {
  for (const child of node.childNodes ?? []) {
    if (child.nodeName === '#text') {
      const v = child.value ?? '';
      out.text(ctx.inPre ? v : v.replace(/\s+/g, ' '), ctx.inLink);
      continue;
    }
    const tag = child.tagName;
    if (tag === undefined) continue; // comments, doctype
    if (SKIP.has(tag) || isHidden(child) || isBoilerplate(child)) continue;
    if (CHROME.has(tag) && !ctx.inContent) continue;
    if (tag === 'br') {
      out.text('\n', false);
      continue;
    }
    const inContent = ctx.inContent || isMain(child);
    if (HEADINGS.has(tag)) {
      out.open('heading');
      walk(child, out, { ...ctx, inContent });
      out.close();
    } else if (tag === 'li') {
      out.open('item');
      walk(child, out, { ...ctx, inContent });
      out.close();
    } else if (tag === 'pre') {
      out.open('pre');
      walk(child, out, { ...ctx, inContent, inPre: true });
      out.close();
    } else if (CELLS.has(tag)) {
      // Cells of one row stay on one line.
      out.text(' ', false);
      walk(child, out, { ...ctx, inContent });
      out.text(' ', false);
    } else if (BLOCKS.has(tag)) {
      const parentKind = out.kind();
      // A block inside a list item continues the item (e.g. <li><p>…</p></li>).
      if (parentKind === 'item') walk(child, out, { ...ctx, inContent });
      else {
        out.open('paragraph');
        walk(child, out, { ...ctx, inContent });
        out.close();
      }
    } else {
      walk(child, out, { ...ctx, inLink: ctx.inLink || tag === 'a', inContent });
    }
  }
}

function findMain(node: Node, found: Node[]): void {
  for (const child of node.childNodes ?? []) {
    if (child.tagName === undefined || SKIP.has(child.tagName)) continue;
    if (isMain(child)) found.push(child);
    else findMain(child, found);
  }
}

function render(blocks: readonly Block[], maxLinkDensity: number): string {
  let out = '';
  let prev: BlockKind | null = null;
  for (const b of blocks) {
    const chars = b.text.replace(/\s+/g, '').length;
    if (chars === 0 || b.linkChars / chars > maxLinkDensity) continue;
    const sep = prev === null ? '' : prev === 'item' && b.kind === 'item' ? '\n' : '\n\n';
    out += sep + (b.kind === 'item' ? `- ${b.text}` : b.text);
    prev = b.kind;
  }
  return out;
}

/** Extracts the main text of an HTML page (or fragment). Never throws: parse5 recovers like a browser. */
export function htmlToText(html: string, options: HtmlToTextOptions = HTML_TO_TEXT_DEFAULTS): string {
  const doc = parse(html) as unknown as Node;
  const ctx = { inLink: false, inContent: false, inPre: false };
  if (options.preferMainContent) {
    const mains: Node[] = [];
    findMain(doc, mains);
    if (mains.length > 0) {
      const out = new BlockCollector();
      for (const m of mains) {
        out.open('paragraph');
        walk(m, out, { ...ctx, inContent: true });
        out.close();
      }
      const text = render(out.blocks, options.maxLinkDensity);
      if (text.length > 0) return text;
    }
  }
  const out = new BlockCollector();
  walk(doc, out, ctx);
  out.close();
  return render(out.blocks, options.maxLinkDensity);
}
