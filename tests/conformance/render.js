#!/usr/bin/env node
// Conformance oracle: renders CSL-JSON items with citeproc-js (npm `citeproc`).
//
//   node tests/conformance/render.js ITEMS.json STYLE_NAME...
//
// Prints one JSON object to stdout:
//   {"<style>": {"bibliography": {"<id>": "<entry>", ...},
//                "citations":    {"<id>": "<citation>", ...}}, ...}
// See README.md for the exact procedure and normalisation. Offline and
// deterministic: styles and the en-US locale are read from ./styles/.
"use strict";

const fs = require("fs");
const path = require("path");
const { Worker, isMainThread, parentPort, workerData } = require("worker_threads");

// CONFORMANCE_STYLES_DIR overrides where the .csl files and locales-en-US.xml
// are read from (used to compare against other copies of the same styles).
const STYLES_DIR = process.env.CONFORMANCE_STYLES_DIR || path.join(__dirname, "styles");
const LOCALE_FILE = path.join(STYLES_DIR, "locales-en-US.xml");

class OracleError extends Error {}

function fail(message) {
  throw new OracleError(message);
}

function exitWith(message) {
  process.stderr.write(`render.js: ${message}\n`);
  process.exit(1);
}

function usage() {
  return "usage: node render.js ITEMS.json STYLE_NAME... (styles: " + availableStyles().join(", ") + ")";
}

function availableStyles() {
  try {
    return fs.readdirSync(STYLES_DIR).filter((f) => f.endsWith(".csl")).map((f) => f.slice(0, -4)).sort();
  } catch (_) {
    return [];
  }
}

let CSL;
try {
  CSL = require("citeproc");
} catch (e) {
  exitWith(`cannot load the npm package "citeproc" (${e.message}); run \`npm ci\` in ${__dirname}`);
}

// Speed only, no change in output: citeproc-js looks every macro up by a
// recursive walk of the whole style tree each time a macro is called while it
// compiles the style (seconds for chicago-author-date). Index the <macro>
// nodes once per parsed style and hand back the same node objects (in a fresh
// array, as the original does). Set CONFORMANCE_NO_MACRO_INDEX=1 to turn this
// off; expected-citeproc.json is identical either way (see README).
if (!process.env.CONFORMANCE_NO_MACRO_INDEX) {
  const original = CSL.XmlJSON.prototype.getNodesByName;
  const indexes = new WeakMap();
  CSL.XmlJSON.prototype.getNodesByName = function (myjson, name, nameattrval, ret) {
    if (name !== "macro" || !nameattrval || ret || !myjson || myjson !== this.dataObj) {
      return original.call(this, myjson, name, nameattrval, ret);
    }
    let index = indexes.get(myjson);
    if (!index) {
      index = new Map();
      for (const node of original.call(this, myjson, "macro")) {
        const key = node.attrs && node.attrs.name;
        if (!index.has(key)) index.set(key, []);
        index.get(key).push(node);
      }
      indexes.set(myjson, index);
    }
    return (index.get(nameattrval) || []).slice();
  };
}

// Only ASCII whitespace is collapsed; U+00A0 and other Unicode spaces are kept
// because they are part of what the style/locale asks for.
function normalise(text) {
  return String(text).replace(/[ \t\r\n\f\v]+/g, " ").trim();
}

function loadItems(file) {
  let raw;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (e) {
    fail(`cannot read items file ${file}: ${e.message}`);
  }
  let items;
  try {
    items = JSON.parse(raw);
  } catch (e) {
    fail(`items file ${file} is not valid JSON: ${e.message}`);
  }
  if (!Array.isArray(items)) fail(`items file ${file} must hold a JSON array of CSL-JSON items`);
  if (items.length === 0) fail(`items file ${file} holds no items`);
  const seen = new Set();
  items.forEach((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      fail(`item #${i} in ${file} is not a JSON object`);
    }
    if (typeof item.id !== "string" || item.id === "") fail(`item #${i} in ${file} has no string "id"`);
    if (seen.has(item.id)) fail(`duplicate item id "${item.id}" in ${file}`);
    seen.add(item.id);
    if (typeof item.type !== "string" || item.type === "") fail(`item "${item.id}" in ${file} has no string "type"`);
  });
  return items;
}

// citeproc-js 1.4.61 predates CSL 1.0.2's `event-title`; it reads the event's
// name only from `event`. Zotero 7 exports `event-title`, so copy it over
// (without overwriting an explicit `event`). This is the only change made to items.
function forCiteproc(item) {
  const copy = JSON.parse(JSON.stringify(item));
  if (copy["event-title"] !== undefined && copy.event === undefined) copy.event = copy["event-title"];
  return copy;
}

function styleFile(styleName) {
  const file = path.join(STYLES_DIR, `${styleName}.csl`);
  if (!/^[A-Za-z0-9._-]+$/.test(styleName) || !fs.existsSync(file)) {
    fail(`unknown style "${styleName}"; available: ${availableStyles().join(", ")}`);
  }
  return file;
}

function render(items, styleName) {
  const file = styleFile(styleName);
  const styleXml = fs.readFileSync(file, "utf8");
  const localeXml = fs.readFileSync(LOCALE_FILE, "utf8");
  const byId = new Map(items.map((it) => [it.id, forCiteproc(it)]));
  const sys = {
    retrieveLocale(lang) {
      // Only en-US ships; citeproc-js falls back to it for every other language.
      return lang === "en-US" ? localeXml : false;
    },
    retrieveItem(id) {
      return byId.get(id);
    },
  };

  let engine;
  try {
    engine = new CSL.Engine(sys, styleXml, "en-US", true);
  } catch (e) {
    fail(`citeproc-js rejected style ${file}: ${e.message || e}`);
  }
  engine.setOutputFormat("text");
  const ids = items.map((it) => it.id);
  engine.updateItems(ids);

  // One citation per item, in items order, each with a single item and no
  // locator/prefix/suffix. Later citations can change earlier ones
  // (disambiguation); keep the final text of each.
  const citationText = new Array(ids.length);
  const indexOfCitationId = new Map();
  const pre = [];
  ids.forEach((id, i) => {
    const citation = {
      citationID: `cit-${i}`,
      citationItems: [{ id }],
      properties: { noteIndex: 0 },
    };
    let result;
    try {
      result = engine.processCitationCluster(citation, pre.slice(), []);
    } catch (e) {
      fail(`citeproc-js failed on citation of "${id}" with style ${styleName}: ${e.message || e}`);
    }
    indexOfCitationId.set(citation.citationID, i);
    for (const [index, text] of result[1]) citationText[index] = text;
    pre.push([citation.citationID, 0]);
  });

  const citations = {};
  ids.forEach((id, i) => {
    if (citationText[i] === undefined) fail(`citeproc-js produced no citation for "${id}" with style ${styleName}`);
    citations[id] = normalise(citationText[i]);
  });

  const bib = engine.makeBibliography();
  if (!bib) fail(`style ${styleName} has no bibliography`);
  const [params, entries] = bib;
  if (params.bibliography_errors && params.bibliography_errors.length) {
    process.stderr.write(`render.js: ${styleName}: bibliography errors: ${JSON.stringify(params.bibliography_errors)}\n`);
  }
  const bibliography = {};
  params.entry_ids.forEach((entryIds, k) => {
    const id = String(entryIds[0]);
    bibliography[id] = normalise(entries[k]);
  });
  for (const id of ids) {
    if (!(id in bibliography)) fail(`citeproc-js produced no bibliography entry for "${id}" with style ${styleName}`);
  }
  return { bibliography, citations };
}

// Each style is rendered by its own citeproc-js engine in its own worker
// thread (styles are independent; this only saves wall-clock time).
function renderInWorker(items, style) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { items, style } });
    worker.once("message", (msg) => (msg.error ? reject(new OracleError(msg.error)) : resolve(msg.result)));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new OracleError(`worker for style ${style} exited with code ${code}`)));
  });
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 2 || args.includes("-h") || args.includes("--help")) fail(usage());
  const [itemsFile, ...styles] = args;
  if (new Set(styles).size !== styles.length) fail("a style is named twice");
  const items = loadItems(itemsFile);
  for (const style of styles) styleFile(style); // fail early on an unknown style
  const results = await Promise.all(styles.map((style) => renderInWorker(items, style)));
  const out = {};
  styles.forEach((style, i) => (out[style] = results[i]));
  process.stdout.write(JSON.stringify(out, null, 2) + "\n");
}

if (isMainThread) {
  main().catch((e) => exitWith(e instanceof OracleError ? e.message : (e && e.stack) || String(e)));
} else {
  try {
    parentPort.postMessage({ result: render(workerData.items, workerData.style) });
  } catch (e) {
    parentPort.postMessage({ error: e instanceof OracleError ? e.message : `citeproc-js crashed on style ${workerData.style}: ${(e && e.stack) || e}` });
  }
}
