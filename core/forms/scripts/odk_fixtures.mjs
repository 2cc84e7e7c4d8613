// Loads every XForm under a directory in ODK's own engine (@getodk/xforms-engine, the
// copy installed for the differential test) and prints, per form, whether it loaded and
// each leaf's initial state (value, relevant, required, readonly).
//
// Usage: node odk_fixtures.mjs FIXTURE_DIR ENGINE_DIR NOW_EPOCH_MS STEPS_JSON < list-of-relative-paths
// Form attachments (jr://file/NAME, jr://file-csv/NAME) are read from the form's own
// directory; a missing one is a 404, which the engine treats as a blank instance.
// Forms with scripted answers (STEPS_JSON, from web-forms' scenario tests) also get a
// snapshot after every step: "steps": [{"error": str|null, "nodes": {...}}].
// Output (stdout): {"<relative path>": {"loaded": bool, "error": str|null, "nodes": {...}}}

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, engineDir, nowArg, stepsFile] = process.argv.slice(2);
const scripts = stepsFile ? JSON.parse(readFileSync(stepsFile, 'utf8')) : {};
const now = Number(nowArg);
const RealDate = Date;
class FrozenDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now);
    else super(...args);
  }
  static now() {
    return now;
  }
}
globalThis.Date = FrozenDate;

const modules = join(engineDir, 'node_modules');
const { JSDOM } = await import(pathToFileURL(join(modules, 'jsdom/lib/api.js')));
const dom = new JSDOM('');
for (const k of ['document', 'DOMParser', 'XMLSerializer', 'Node', 'Document', 'Element', 'XPathResult', 'XMLDocument', 'NodeFilter']) {
  if (dom.window[k] && !globalThis[k]) globalThis[k] = dom.window[k];
}
globalThis.__dirname = join(modules, '@getodk/xforms-engine/dist');
globalThis.module = { exports: {} };
const { createInstance } = await import(pathToFileURL(join(modules, '@getodk/xforms-engine/dist/index.js')));

const LEAF = new Set(['input', 'select', 'model-value', 'note', 'upload', 'trigger', 'range', 'rank']);

function* walk(node) {
  yield node;
  for (const c of node.currentState.children ?? []) yield* walk(c);
}

function unescapeXml(s) {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#13;/g, '\r').replace(/&amp;/g, '&');
}

function leafValue(node) {
  const xml = node.instanceState?.instanceXML ?? '';
  const m = /^<[^>]*>([\s\S]*)<\/[^>]*>$/.exec(xml);
  return m ? unescapeXml(m[1]) : '';
}

function snapshot(root) {
  const out = {};
  for (const n of walk(root)) {
    if (!LEAF.has(n.nodeType)) continue;
    const s = n.currentState;
    out[s.reference] = {
      value: s.relevant ? leafValue(n) : null,
      relevant: s.relevant,
      required: s.required,
      readonly: s.readonly,
    };
  }
  return out;
}

function find(root, ref) {
  for (const n of walk(root)) if (n.currentState.reference === ref) return n;
  return null;
}

function apply(root, step) {
  const node = find(root, step.path);
  if (node == null) throw new Error(`no node ${step.path}`);
  if (step.op === 'add') {
    node.addInstances();
  } else if (node.nodeType === 'select') {
    const values = step.value === '' ? [] : step.value.split(' ');
    if (node.selectType === 'select1') node.selectValue(values[0] ?? null);
    else node.selectValues(values);
  } else {
    node.setValue(step.value);
  }
}

const paths = readFileSync(0, 'utf8').split('\n').filter((l) => l.trim() !== '');
const result = {};
for (const rel of paths) {
  const file = join(dir, rel);
  const formDir = dirname(file);
  const entry = { loaded: false, error: null, nodes: {} };
  result[rel] = entry;
  const fetchFormAttachment = async (url) => {
    const name = basename(decodeURIComponent(new URL(url.href ?? String(url)).pathname));
    const p = join(formDir, name);
    if (!existsSync(p)) return new Response('', { status: 404 });
    return new Response(readFileSync(p), { status: 200 });
  };
  try {
    const xml = readFileSync(file, 'utf8');
    const { root } = await createInstance(xml, {
      form: { fetchFormAttachment, missingResourceBehavior: 'BLANK' },
    });
    entry.loaded = true;
    entry.nodes = snapshot(root);
    if (scripts[rel]) {
      entry.steps = [];
      for (const step of scripts[rel]) {
        let error = null;
        try {
          apply(root, step);
        } catch (e) {
          error = String(e?.message ?? e).split('\n')[0];
        }
        entry.steps.push({ error, nodes: snapshot(root) });
      }
    }
  } catch (e) {
    entry.error = String(e?.message ?? e).split('\n')[0].slice(0, 300);
  }
}
process.stdout.write(JSON.stringify(result));
