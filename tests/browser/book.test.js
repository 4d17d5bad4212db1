// Opens the built book (target/book, from `mdbook build`) in Debian's Chromium and
// checks what a reader sees: pages load without errors, a comparison table shows,
// MathJax typesets the formulas, and a citation link lands on its bibliography entry.
// Serves the book itself on 127.0.0.1; any request elsewhere is blocked and reported.
'use strict';

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const repoRoot = path.resolve(__dirname, '..', '..');
const bookDir = path.resolve(process.env.BOOK_DIR || path.join(repoRoot, 'target', 'book'));
const screenshotDir = path.join(repoRoot, 'target', 'screenshots');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static file server for `root`, like a book's host: directories serve index.html. */
function serve(root) {
  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    let file = path.join(root, urlPath);
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      file = path.join(file, 'index.html');
    }
    if (!fs.existsSync(file)) {
      response.writeHead(404, { 'content-type': contentTypes['.html'] });
      response.end(fs.readFileSync(path.join(root, '404.html')));
      return;
    }
    const type = contentTypes[path.extname(file)] || 'application/octet-stream';
    response.writeHead(200, { 'content-type': type });
    fs.createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** The chapters in SUMMARY.md order, as the sidebar (toc.html) links them. */
async function chapterPaths(context, origin) {
  const page = await context.newPage();
  await page.goto(`${origin}/toc.html`);
  const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href')));
  await page.close();
  const chapters = hrefs.filter((href) => /^[^:#?]+\.html$/.test(href));
  return [...new Set(chapters)];
}

const source = (chapter) => fs.readFileSync(path.join(bookDir, chapter), 'utf8');
const hasTable = (chapter) => /<table[\s>]/.test(source(chapter));
const hasTex = (chapter) => /\\\(|\\\[|\$\$/.test(source(chapter));

/** The pages under test, found by what they hold rather than by file name. */
function choosePages(chapters) {
  const first = (predicate) => chapters.find(predicate);
  return {
    introduction: chapters[0],
    comparison:
      first((c) => c.startsWith('comparisons/') && hasTable(c)) || first(hasTable),
    mathematics:
      first((c) => c.startsWith('mathematics/') && hasTex(c)) || first(hasTex),
    bibliography:
      first((c) => /bibliography/.test(c) && source(c).includes('id="ref-')) ||
      first((c) => source(c).includes('id="ref-')),
  };
}

describe('the built book in Chromium', () => {
  let server;
  let origin;
  let context;
  let browser;
  let userDataDir;
  let pages;
  let chapters;
  const externalRequests = [];
  const visits = new Map();

  before(async () => {
    assert.ok(
      fs.existsSync(path.join(bookDir, 'index.html')),
      `no book at ${bookDir}: run \`mdbook build\` at the repository root first`,
    );
    fs.mkdirSync(screenshotDir, { recursive: true });
    server = await serve(bookDir);
    origin = `http://127.0.0.1:${server.address().port}`;
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'book-chromium-'));
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ];
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args,
      viewport: { width: 1280, height: 900 },
    });
    // For the layout checks, which need their own viewport, theme or media: contexts
    // of a second browser (each with a fresh profile of its own).
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
    // The book must be self-contained: block, and remember, anything not ours.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) {
        return route.continue();
      }
      externalRequests.push(url);
      return route.abort();
    });
    chapters = await chapterPaths(context, origin);
    pages = choosePages(chapters);
  });

  /** A fresh browser context (same blocking of requests) at `viewport`, in `theme`. */
  async function browserContext(viewport, theme) {
    const made = await browser.newContext({ viewport });
    if (theme) {
      await made.addInitScript((name) => localStorage.setItem('mdbook-theme', name), theme);
    }
    await made.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    return made;
  }

  after(async () => {
    await context?.close();
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Opens `chapter` once, recording console errors and uncaught exceptions. */
  async function visit(chapter) {
    if (visits.has(chapter)) return visits.get(chapter);
    const page = await context.newPage();
    const errors = [];
    page.on('console', (message) => {
      const from = message.location().url || '';
      // A blocked external request logs an error too; it is reported on its own.
      const external = from !== '' && !from.startsWith(origin);
      if (message.type() === 'error' && !external) errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await page.goto(`${origin}/${chapter}`, { waitUntil: 'load' });
    await waitForMathJax(page);
    const result = { page, errors };
    visits.set(chapter, result);
    return result;
  }

  async function screenshot(page, name) {
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  }

  for (const role of ['introduction', 'comparison', 'mathematics', 'bibliography']) {
    test(`the ${role} page loads without console errors`, async (t) => {
      const chapter = pages[role];
      if (!chapter) return t.skip(`no ${role} page in the book yet`);
      const { page, errors } = await visit(chapter);
      await screenshot(page, role);
      assert.deepEqual(errors, [], `console errors on ${chapter}`);
      const title = await page.locator('main h1').first().textContent();
      assert.ok(title && title.trim() !== '', `${chapter} shows no heading`);
    });
  }

  test('the comparison table is visible', async (t) => {
    const chapter = pages.comparison;
    if (!chapter) return t.skip('no page with a table in the book yet');
    const { page } = await visit(chapter);
    const table = page.locator('main table').first();
    await table.scrollIntoViewIfNeeded();
    assert.ok(await table.isVisible(), `the table on ${chapter} is not visible`);
    const box = await table.boundingBox();
    assert.ok(box && box.width > 0 && box.height > 0, `the table on ${chapter} has no size`);
    // The viewport, not the element: a tall table's shot would show the sticky menu
    // bar painted over its header row.
    await table.evaluate((element) => {
      element.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -document.getElementById('mdbook-menu-bar').offsetHeight);
    });
    await screenshot(page, 'comparison-table');
  });

  test('MathJax, loaded from the book itself, typesets the formulas', async (t) => {
    const chapter = pages.mathematics;
    if (!chapter) return t.skip('no page with \\( \\), \\[ \\] or $$ formulas in the book yet');
    const { page } = await visit(chapter);
    assert.ok(
      await page.evaluate(() => Boolean(window.MathJax && window.MathJax.startup)),
      `MathJax did not load on ${chapter}`,
    );
    const rendered = page.locator('main mjx-container');
    assert.ok((await rendered.count()) > 0, `no typeset formula on ${chapter}`);
    // MathJax marks a formula it could not parse with <mjx-merror>, showing the TeX.
    const texErrors = await page.$$eval('main mjx-container', (formulas) =>
      formulas
        .map((formula) => formula.querySelector('[data-mjx-error]'))
        .filter(Boolean)
        .map((error) => error.getAttribute('data-mjx-error')),
    );
    assert.deepEqual(texErrors, [], `TeX errors on ${chapter}`);
    await rendered.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'mathematics-formula');
  });

  test('clicking a citation scrolls to its bibliography entry', async (t) => {
    let start;
    for (const chapter of [pages.introduction, pages.comparison].filter(Boolean)) {
      const { page } = await visit(chapter);
      if ((await page.locator('main a[href*="#ref-"]').count()) > 0) {
        start = chapter;
        break;
      }
    }
    if (!start) return t.skip('no citation on the introduction or comparison page yet');
    // A fresh tab, so that the shared page of the load test keeps its state.
    const page = await context.newPage();
    await page.goto(`${origin}/${start}`, { waitUntil: 'load' });
    const citation = page.locator('main a[href*="#ref-"]').first();
    const href = await citation.getAttribute('href');
    const id = decodeURIComponent(href.slice(href.indexOf('#') + 1));
    await citation.click();
    await page.waitForURL((url) => url.hash === `#${encodeURIComponent(id)}`);
    await page.waitForLoadState('load');
    await waitForMathJax(page);
    const entry = page.locator(`[id="${id}"]`);
    assert.equal(await entry.count(), 1, `no element with id="${id}" after following ${href}`);
    const placement = await entry.evaluate((element) => {
      const rect = element.getBoundingClientRect();
      return { top: rect.top, bottom: rect.bottom, viewport: window.innerHeight };
    });
    await screenshot(page, 'citation-target');
    assert.ok(
      placement.top >= 0 && placement.top < placement.viewport && placement.bottom > 0,
      `after clicking ${href} on ${start}, #${id} is not in the viewport: ${JSON.stringify(placement)}`,
    );
    await page.close();
  });

  // ---- Tables that fit (issue 12 §2) ----
  // A table fits when its wrapper (mdBook's .table-wrapper scrolls sideways) does
  // not scroll, it ends inside <main>, and no cell's content is wider than the cell.
  // Measured on every chapter, after MathJax (formulas change widths).

  /** Opens `url` in `context` and returns the misfits of its tables. */
  async function tableMisfits(context, url, { media } = {}) {
    const page = await context.newPage();
    if (media) await page.emulateMedia({ media });
    await page.goto(url, { waitUntil: 'load' });
    await waitForMathJax(page);
    const result = await page.evaluate(measureTables);
    result.sidebar = await page.evaluate(() =>
      document.documentElement.classList.contains('sidebar-visible'),
    );
    await page.close();
    return result;
  }

  /** Checks every chapter at one viewport; returns how many tables were measured. */
  async function everyTableFits(t, viewport, { sidebar }) {
    const narrow = await browserContext(viewport);
    try {
      let tables = 0;
      const misfits = [];
      for (const chapter of chapters) {
        const result = await tableMisfits(narrow, `${origin}/${chapter}`);
        assert.equal(result.sidebar, sidebar, `${chapter}: sidebar visible is not ${sidebar}`);
        tables += result.tables;
        for (const misfit of result.misfits) misfits.push(`${chapter}: ${misfit}`);
        if (result.pageScrolls) misfits.push(`${chapter}: the page scrolls sideways (${result.pageScrolls})`);
      }
      t.diagnostic(`${tables} tables on ${chapters.length} pages at ${viewport.width}x${viewport.height}`);
      assert.deepEqual(misfits, []);
      return tables;
    } finally {
      await narrow.close();
    }
  }

  let tablesOnPages = 0;

  test('at 1400x900 with the sidebar open, every table shows all its columns', async (t) => {
    tablesOnPages = await everyTableFits(t, { width: 1400, height: 900 }, { sidebar: true });
    assert.ok(tablesOnPages > 0, 'no table measured: the check would pass on anything');
  });

  test('at 400 px (a phone), no table and no page scrolls sideways', async (t) => {
    const tables = await everyTableFits(t, { width: 400, height: 800 }, { sidebar: false });
    assert.ok(tables > 0, 'no table measured');
  });

  test('printed on A4 (print.html), no table loses a column', async (t) => {
    // A4 is 210 mm wide; theme/mdbook-frameworks.css prints with 12 mm side margins,
    // so a page's text is 186 mm = 703 CSS px wide (96 px per inch).
    const a4 = await browserContext({ width: 703, height: 1000 });
    try {
      const result = await tableMisfits(a4, `${origin}/print.html`, { media: 'print' });
      t.diagnostic(`${result.tables} tables in print.html`);
      assert.ok(result.tables > 0, 'no table in print.html');
      if (tablesOnPages > 0) {
        assert.equal(result.tables, tablesOnPages, 'print.html holds every chapter\'s tables');
      }
      assert.deepEqual(result.misfits, []);
      assert.equal(result.pageScrolls, 0, 'the printed page is wider than A4');
    } finally {
      await a4.close();
    }
  });

  // ---- Links readable in every theme (WCAG AA, 4.5:1) ----
  for (const theme of ['light', 'rust', 'coal', 'navy', 'ayu']) {
    test(`links reach 4.5:1 contrast in the ${theme} theme`, async (t) => {
      const themed = await browserContext({ width: 1400, height: 900 }, theme);
      try {
        let worst = { ratio: Infinity };
        let links = 0;
        for (const chapter of [pages.introduction, pages.comparison, pages.bibliography].filter(Boolean)) {
          const page = await themed.newPage();
          await page.goto(`${origin}/${chapter}`, { waitUntil: 'load' });
          assert.ok(
            await page.evaluate((name) => document.documentElement.classList.contains(name), theme),
            `${chapter} is not in the ${theme} theme`,
          );
          const found = await page.evaluate(linkContrasts);
          links += found.length;
          for (const link of found) {
            if (link.ratio < worst.ratio) worst = { ...link, chapter };
          }
          await page.close();
        }
        assert.ok(links > 0, 'no link measured');
        t.diagnostic(`${theme}: ${links} links, lowest contrast ${worst.ratio.toFixed(2)}:1`);
        assert.ok(
          worst.ratio >= 4.5,
          `${theme}: a link has ${worst.ratio.toFixed(2)}:1 (< 4.5): ${JSON.stringify(worst)}`,
        );
      } finally {
        await themed.close();
      }
    });
  }

  // ---- Back-references land on each citation (issue 12 §7) ----
  test('every back-reference of the bibliography names one citation of its work', async (t) => {
    const chapter = pages.bibliography;
    if (!chapter) return t.skip('no bibliography page yet');
    // On the chapters: each link from the bibliography names an id of its page.
    const html = source(chapter);
    const backrefs = [...html.matchAll(/href="([^"#]+\.html)#(cite-[^"]+)"/g)];
    assert.ok(backrefs.length > 0, `no back-reference on ${chapter}`);
    const missing = backrefs
      .filter(([, page, id]) => source(page).split(`id="${id}"`).length !== 2)
      .map(([, page, id]) => `${page}#${id}`);
    assert.deepEqual(missing, [], 'back-references without exactly one target');

    // In print.html, where every chapter shares one page: each back-reference's
    // target is unique and is followed by a link to the entry it comes from.
    const page = await context.newPage();
    await page.goto(`${origin}/print.html`, { waitUntil: 'load' });
    const problems = await page.evaluate(() => {
      const out = [];
      let checked = 0;
      for (const entry of document.querySelectorAll('main li > a[id^="ref-"]')) {
        const key = entry.id;
        for (const back of entry.parentElement.querySelectorAll('a[href^="#cite-"]')) {
          const id = decodeURIComponent(back.getAttribute('href').slice(1));
          const targets = document.querySelectorAll(`[id="${CSS.escape(id)}"]`);
          if (targets.length !== 1) {
            out.push(`${key} -> ${id}: ${targets.length} elements`);
            continue;
          }
          // The citation after the anchor: up to the next citation's anchor.
          const cites = [];
          for (let node = targets[0].nextSibling; node; node = node.nextSibling) {
            if (node.nodeType !== 1) continue;
            if (node.matches('span[id^="cite-"]')) {
              if (cites.length > 0) break;
              continue;
            }
            const links = node.matches('a') ? [node] : [...node.querySelectorAll('a')];
            cites.push(...links.map((a) => a.getAttribute('href')));
          }
          // print.html repeats the entries of every bibliography (a chapter may list
          // its own), and mdBook numbers the repeated ids: `ref-KEY-1`.
          const work = (id) => id.replace(/^#/, '').replace(/-\d+$/, '');
          if (!cites.some((href) => href === `#${key}` || work(href) === work(key))) {
            out.push(`${key} -> ${id}: the citation there links to ${cites.join(' ')}`);
          }
          checked += 1;
        }
      }
      return { out, checked };
    });
    await page.close();
    t.diagnostic(`${problems.checked} back-references checked in print.html`);
    assert.ok(problems.checked > 0, 'no back-reference in print.html');
    assert.deepEqual(problems.out, []);
  });

  test('clicking a back-reference scrolls to the citation', async (t) => {
    const chapter = pages.bibliography;
    if (!chapter) return t.skip('no bibliography page yet');
    const page = await context.newPage();
    await page.goto(`${origin}/${chapter}`, { waitUntil: 'load' });
    // A letter (the second citation of a work in a chapter): it must land past the
    // first, on the page of its chapter.
    const back = page.locator('main .mdbook-frameworks-backrefs a').nth(1);
    const href = await back.getAttribute('href');
    const id = decodeURIComponent(href.slice(href.indexOf('#') + 1));
    await back.click();
    await page.waitForURL((url) => url.hash === `#${encodeURIComponent(id)}`);
    await page.waitForLoadState('load');
    await waitForMathJax(page);
    const placement = await page.locator(`[id="${id}"]`).evaluate((element) => {
      const rect = element.getBoundingClientRect();
      const bar = document.getElementById('mdbook-menu-bar').getBoundingClientRect();
      return { top: rect.top, bar: bar.bottom, viewport: window.innerHeight };
    });
    await screenshot(page, 'back-reference-target');
    await page.close();
    assert.ok(
      placement.top >= placement.bar - 1 && placement.top < placement.viewport,
      `after clicking ${href}, #${id} is not in view below the menu bar: ${JSON.stringify(placement)}`,
    );
  });

  test('a timeline chart shows one mark per timeline row, within the column', async (t) => {
    const chapter = chapters.find((c) => source(c).includes('class="mdbook-frameworks-chart"'));
    if (!chapter) return t.skip('no {{#timeline chart}} in the book yet');
    const { page } = await visit(chapter);
    const chart = page.locator('main .mdbook-frameworks-chart svg').first();
    await chart.scrollIntoViewIfNeeded();
    const found = await chart.evaluate((svg) => {
      const figure = svg.closest('figure');
      // The table the chart draws follows it.
      let table = figure.nextElementSibling;
      while (table && !table.querySelector('table') && table.tagName !== 'TABLE') {
        table = table.nextElementSibling;
      }
      const rows = table ? table.querySelectorAll('tbody tr').length : -1;
      const box = svg.getBoundingClientRect();
      return {
        title: svg.querySelector('title')?.textContent,
        marks: svg.querySelectorAll('g.mark').length,
        rows,
        width: box.width,
        column: document.querySelector('main').getBoundingClientRect().width,
        labels: [...svg.querySelectorAll('text')].map((text) => text.textContent),
      };
    });
    await screenshot(page, 'timeline-chart');
    assert.ok(found.title, 'the chart has no <title>');
    assert.ok(found.marks > 0 && found.marks === found.rows, `${found.marks} marks for ${found.rows} rows`);
    assert.ok(found.width > 0 && found.width <= found.column + 1, `the chart is ${found.width} px in a ${found.column} px column`);
    for (const lane of ['PyTorch', 'TensorFlow', 'Keras', 'Theano']) {
      assert.ok(found.labels.includes(lane), `no lane labelled ${lane}: ${found.labels}`);
    }
  });

  test('no request leaves the local server (no CDN, fonts or scripts from elsewhere)', () => {
    assert.deepEqual([...new Set(externalRequests)], []);
  });
});

test('the vendored MathJax is the pinned npm package, unchanged', () => {
  const vendored = fs.readFileSync(path.join(repoRoot, 'theme', 'mathjax', 'tex-svg.js'));
  const pinned = fs.readFileSync(require.resolve('mathjax/es5/tex-svg.js'));
  assert.ok(vendored.equals(pinned), 'theme/mathjax/tex-svg.js differs from mathjax/es5/tex-svg.js');
});

/** Waits until MathJax, where the page loads it, has typeset the page. */
async function waitForMathJax(page) {
  await page.waitForFunction(
    () =>
      !window.MathJax ||
      (window.MathJax.startup && window.MathJax.startup.promise && window.MathJax.typesetPromise),
    null,
    { timeout: 10000 },
  );
  await page.evaluate(() => window.MathJax && window.MathJax.startup.promise);
}

/**
 * In the page: the tables of <main> that do not fit. Runs in Chromium, so it may use
 * only the DOM. A 1 px tolerance absorbs sub-pixel rounding.
 */
function measureTables() {
  const main = document.querySelector('main');
  const limit = main.getBoundingClientRect().right + 1;
  const misfits = [];
  const tables = [...main.querySelectorAll('table')];
  tables.forEach((table, index) => {
    const name = `table ${index + 1} (${(table.rows[0]?.cells.length ?? 0)} columns, "${(table.rows[0]?.textContent || '').trim().slice(0, 40)}")`;
    const wrapper = table.closest('.table-wrapper') || table.parentElement;
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      misfits.push(`${name} scrolls: ${wrapper.scrollWidth} px of content in ${wrapper.clientWidth} px`);
    }
    const right = table.getBoundingClientRect().right;
    if (right > limit) misfits.push(`${name} ends at ${Math.round(right)} px, past the text column (${Math.round(limit)} px)`);
    for (const cell of table.querySelectorAll('th, td')) {
      if (cell.scrollWidth > cell.clientWidth + 1) {
        misfits.push(`${name}: a cell is clipped (${cell.scrollWidth} > ${cell.clientWidth} px): "${cell.textContent.trim().slice(0, 40)}"`);
      }
    }
  });
  const root = document.scrollingElement;
  const pageScrolls = Math.max(0, root.scrollWidth - root.clientWidth);
  return { tables: tables.length, misfits, pageScrolls };
}

/** In the page: every visible link of <main>, with its contrast against what is behind it. */
function linkContrasts() {
  const parse = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  // The colour behind an element: its ancestors' backgrounds, composed bottom-up.
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const color = parse(getComputedStyle(e).backgroundColor);
      if (color && color.a > 0) {
        layers.push(color);
        if (color.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = ({ r, g, b }) => {
    const channel = (v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const out = [];
  for (const link of document.querySelectorAll('main a[href]')) {
    const rect = link.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || link.closest('h1, h2, h3, h4, h5, h6')) continue;
    const back = background(link);
    const fore = over(parse(getComputedStyle(link).color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    out.push({
      ratio: (light + 0.05) / (dark + 0.05),
      color: getComputedStyle(link).color,
      text: link.textContent.trim().slice(0, 30),
    });
  }
  return out;
}
