// npm run docs:config: writes the settings table (src/config/settings.ts) into docs/operations.md,
// between its `<!-- config -->` markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { configTableMarkdown } from '../src/config/describe.js';

const file = new URL('../docs/operations.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
const start = doc.indexOf('<!-- config -->');
const end = doc.indexOf('<!-- /config -->');
if (start < 0 || end < start) throw new Error('docs/operations.md has no <!-- config --> … <!-- /config --> section');
writeFileSync(file, `${doc.slice(0, start)}<!-- config -->\n${configTableMarkdown()}\n${doc.slice(end)}`);
console.log('docs/operations.md: configuration table written');
