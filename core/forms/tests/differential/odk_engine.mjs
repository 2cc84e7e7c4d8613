// Runs ODK's own engine (@getodk/xforms-engine, headless on jsdom) over scripted
// fill-ins and prints, after every step, each leaf node's value, relevance, required,
// read-only and validation state, then the submission XML. The Rust side
// (../differential.rs) runs the same script through layanan-forms and compares.
//
// Input (stdin): {"now": <epoch ms>, "forms": [{"name", "xml", "attachments"?, "steps": [
//   {"op": "answer", "path", "value"} | {"op": "add", "path"} | {"op": "remove", "path"}]}]}
// Output (stdout): {"<name>": {"snapshots": [{<ref>: {...}}...], "xml": "...", "errors": [...]}}
// Run with TZ set to the offset the Rust side uses.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

const input = JSON.parse(readFileSync(0, 'utf8'));

// A frozen clock, so today()/now() agree with the Rust side's FixedEnvironment.
const RealDate = Date;
class FrozenDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(input.now);
    else super(...args);
  }
  static now() {
    return input.now;
  }
}
globalThis.Date = FrozenDate;

const dom = new JSDOM('');
for (const k of ['document', 'DOMParser', 'XMLSerializer', 'Node', 'Document', 'Element', 'XPathResult', 'XMLDocument', 'NodeFilter']) {
  if (dom.window[k] && !globalThis[k]) globalThis[k] = dom.window[k];
}
// The engine's bundled tree-sitter loader expects CommonJS globals on Node.
const here = dirname(fileURLToPath(import.meta.url));
globalThis.__dirname = join(here, 'node_modules/@getodk/xforms-engine/dist');
globalThis.module = { exports: {} };
const { createInstance } = await import('@getodk/xforms-engine');

const LEAF = new Set(['input', 'select', 'model-value', 'note', 'upload', 'trigger', 'range', 'rank']);

function* walk(node) {
  yield node;
  for (const c of node.currentState.children ?? []) yield* walk(c);
}

function find(root, ref) {
  for (const n of walk(root)) if (n.currentState.reference === ref) return n;
  return null;
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
      violation: s.relevant ? (n.validationState?.violation?.condition ?? null) : null,
    };
  }
  return out;
}

function apply(root, step) {
  const node = find(root, step.path);
  if (node == null) throw new Error(`no node ${step.path}`);
  if (step.op === 'add') {
    node.addInstances();
  } else if (step.op === 'remove') {
    const range = node.parent;
    const index = range.currentState.children.indexOf(node);
    range.removeInstances(index);
  } else if (node.nodeType === 'select') {
    const values = step.value === '' ? [] : step.value.split(' ');
    if (node.selectType === 'select1') node.selectValue(values[0] ?? null);
    else node.selectValues(values);
  } else if (node.nodeType === 'upload') {
    node.setValue(step.value === '' ? null : new File([''], step.value));
  } else if (node.nodeType === 'trigger') {
    node.setValue(step.value !== '');
  } else if (node.nodeType === 'range') {
    node.setValue(step.value === '' ? null : Number(step.value));
  } else {
    node.setValue(step.value);
  }
}

const result = {};
for (const form of input.forms) {
  const entry = { snapshots: [], xml: null, errors: [] };
  result[form.name] = entry;
  try {
    // Form attachments (CSV, XML lists) come with the script, by file name; others
    // (last-saved, media) are missing, which the engine reads as blank.
    const attachments = form.attachments ?? {};
    const fetchFormAttachment = async (url) => {
      const name = decodeURIComponent(String(url.href ?? url).split('/').pop());
      if (Object.hasOwn(attachments, name)) return new Response(attachments[name], { status: 200 });
      return new Response('', { status: 404 });
    };
    const { root } = await createInstance(form.xml, {
      form: { fetchFormAttachment, missingResourceBehavior: 'BLANK' },
    });
    entry.snapshots.push(snapshot(root));
    for (const step of form.steps) {
      try {
        apply(root, step);
      } catch (e) {
        entry.errors.push(`${step.op} ${step.path}: ${e.message}`);
      }
      entry.snapshots.push(snapshot(root));
    }
    entry.xml = root.instanceState.instanceXML;
  } catch (e) {
    entry.errors.push(`load: ${e.message}`);
  }
}
process.stdout.write(JSON.stringify(result));
