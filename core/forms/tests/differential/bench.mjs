// Times ODK's own engine on the form given on stdin: load (parse + create instance) and
// one answer of /data/q0 (which re-evaluates every relevance and calculation of the
// generated benchmark form). Prints {"load_ms": [...], "answer_ms": [...]}.
// Used by ../../benches/vs_odk.rs.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { JSDOM } from 'jsdom';

const xml = readFileSync(0, 'utf8');
const runs = Number(process.argv[2] ?? 5);
const answers = Number(process.argv[3] ?? 20);
const dom = new JSDOM('');
for (const k of ['document', 'DOMParser', 'XMLSerializer', 'Node', 'Document', 'Element', 'XPathResult', 'XMLDocument', 'NodeFilter']) {
  if (dom.window[k] && !globalThis[k]) globalThis[k] = dom.window[k];
}
const here = dirname(fileURLToPath(import.meta.url));
globalThis.__dirname = join(here, 'node_modules/@getodk/xforms-engine/dist');
globalThis.module = { exports: {} };
const { createInstance } = await import('@getodk/xforms-engine');

const load_ms = [];
let root = null;
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  ({ root } = await createInstance(xml, {}));
  load_ms.push(performance.now() - t);
}
function find(node, ref) {
  if (node.currentState.reference === ref) return node;
  for (const c of node.currentState.children ?? []) {
    const f = find(c, ref);
    if (f) return f;
  }
  return null;
}
const q0 = find(root, '/data/q0');
const answer_ms = [];
for (let i = 0; i < answers; i++) {
  const t = performance.now();
  q0.setValue(i % 2 === 0 ? '60' : '7');
  answer_ms.push(performance.now() - t);
}
process.stdout.write(JSON.stringify({ load_ms, answer_ms }));
