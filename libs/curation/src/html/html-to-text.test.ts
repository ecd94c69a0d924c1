import { describe, expect, it } from 'vitest';
import { htmlToText } from './html-to-text';

const PAGE = `<!doctype html><html><head><title>T</title><style>p{color:red}</style><script>var x = "not text";</script></head>
<body>
  <header><a href="/">Home</a> <a href="/news">News</a></header>
  <nav><ul><li><a href="/a">Politics</a></li><li><a href="/b">Sport</a></li></ul></nav>
  <div class="cookie-banner">We use cookies. <button>Accept</button></div>
  <main>
    <article>
      <header><h1>Harbour &amp; town reopen</h1></header>
      <p>The harbour reopened on <b>Monday</b> after   two weeks of repairs.</p>
      <p>Fishermen said the new quay is <a href="/q">much safer</a> than the old one.</p>
      <ul><li>New lights</li><li>Wider <em>berths</em></li></ul>
      <pre>  line 1
    line 2</pre>
      <div class="share"><a href="/fb">Facebook</a> <a href="/tw">Twitter</a></div>
      <table><tr><td>Boats</td><td>42</td></tr></table>
    </article>
  </main>
  <aside>Related: <a href="/x">Other story</a></aside>
  <footer>© 2024 Town Paper</footer>
</body></html>`;

describe('htmlToText', () => {
  it('keeps the main content with headings, paragraphs, list items and pre blocks', () => {
    expect(htmlToText(PAGE)).toBe(
      [
        'Harbour & town reopen',
        'The harbour reopened on Monday after two weeks of repairs.',
        'Fishermen said the new quay is much safer than the old one.',
        '- New lights\n- Wider berths',
        '  line 1\n    line 2',
        'Boats 42',
      ].join('\n\n'),
    );
  });

  it('drops script, style, navigation, chrome and boilerplate-named blocks', () => {
    const text = htmlToText(PAGE);
    for (const junk of ['not text', 'color', 'Politics', 'cookies', 'Facebook', 'Other story', '© 2024', 'Home']) expect(text).not.toContain(junk);
  });

  it('drops link-dense blocks when the page has no <main>', () => {
    const html = `<body><div><a href="1">One</a> | <a href="2">Two</a> | <a href="3">Three</a></div>
      <div><p>A real paragraph with a <a href="l">single link</a> among many other ordinary words.</p></div>
      <ul><li><a href="4">Menu item</a></li><li><a href="5">Another item</a></li></ul></body>`;
    expect(htmlToText(html)).toBe('A real paragraph with a single link among many other ordinary words.');
  });

  it('turns <br> into line breaks and skips hidden elements', () => {
    expect(htmlToText('<p>first<br>second<span hidden>secret</span><span style="display: none">x</span></p>')).toBe('first\nsecond');
  });

  it('recovers from broken markup like a browser does', () => {
    expect(htmlToText('<p>unclosed <b>bold <p>next paragraph')).toBe('unclosed bold\n\nnext paragraph');
    expect(htmlToText('')).toBe('');
  });
});
