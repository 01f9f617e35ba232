// The docs a newcomer reads name files of the repository (in links and in `code`) and sections of other
// docs (#anchors). Files move and headings change: every name must still lead somewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = ['README.md', 'CHANGELOG.md', 'bench/README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
// `code` that starts with one of these is a path from the repository's root.
const ROOTS = /^(src|test|bench|docs|migrations|sql|\.ci)\/|^(Dockerfile|render\.yaml|package\.json|README\.md|CHANGELOG\.md)$/;

/** The text outside fenced code blocks, where prose names files. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
}

/** GitHub's anchors for a document's headings (lower case, punctuation dropped, spaces to hyphens, repeats numbered). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Whether a repository path exists; `*` in the last part matches any run of characters. */
function exists(path: string): boolean {
  if (!path.includes('*')) return existsSync(join(root, path));
  const dir = dirname(path);
  const pattern = new RegExp('^' + path.slice(dir.length + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  return existsSync(join(root, dir)) && readdirSync(join(root, dir)).some((f) => pattern.test(f));
}

/** What a doc (its path from the root, and its text) names that does not exist. */
function brokenIn(doc: string, markdown: string): string[] {
  const text = prose(markdown);
  const out: string[] = [];
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/.test(target)) continue;
    const [file, anchor] = target.split('#');
    const path = file ? normalize(join(dirname(doc), file)) : doc;
    if (path.startsWith('..')) out.push(`${doc}: ${target} points outside the repository`);
    else if (file && !existsSync(join(root, path))) out.push(`${doc}: ${target} (no file ${path})`);
    else if (anchor && path.endsWith('.md') && !anchors(file ? readFileSync(join(root, path), 'utf8') : markdown).has(anchor))
      out.push(`${doc}: ${target} (no heading #${anchor} in ${path})`);
  }
  for (const [, code] of text.matchAll(/`([^`\s]+)`/g)) {
    const path = code.replace(/[:,]$/, '');
    if (!ROOTS.test(path) || /[<>…{]/.test(path)) continue;
    if (!exists(path.replace(/\/$/, ''))) out.push(`${doc}: \`${code}\` (no such file or folder)`);
  }
  return out;
}

test('every doc a newcomer reads exists', () => {
  for (const doc of DOCS) assert.ok(existsSync(join(root, doc)), doc);
});

test('every repository path and section a doc names exists', () => {
  assert.deepEqual(
    DOCS.flatMap((doc) => brokenIn(doc, readFileSync(join(root, doc), 'utf8'))),
    [],
  );
});

test('the check sees a missing file, a missing section and a path outside the repository', () => {
  const doc = 'docs/__probe.md';
  const text = '# Probe\n\n[a](design.md#no-such-heading) [b](nowhere.md) [c](../../elsewhere.md) `src/no-such-file.ts` `src/cli.ts` [d](#probe)\n';
  assert.deepEqual(brokenIn(doc, text), [
    'docs/__probe.md: design.md#no-such-heading (no heading #no-such-heading in docs/design.md)',
    'docs/__probe.md: nowhere.md (no file docs/nowhere.md)',
    'docs/__probe.md: ../../elsewhere.md points outside the repository',
    'docs/__probe.md: `src/no-such-file.ts` (no such file or folder)',
  ]);
});
