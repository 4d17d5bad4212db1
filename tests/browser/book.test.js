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
  let userDataDir;
  let pages;
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
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
      viewport: { width: 1280, height: 900 },
    });
    // The book must be self-contained: block, and remember, anything not ours.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`) || url.startsWith('data:')) {
        return route.continue();
      }
      externalRequests.push(url);
      return route.abort();
    });
    pages = choosePages(await chapterPaths(context, origin));
  });

  after(async () => {
    await context?.close();
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
