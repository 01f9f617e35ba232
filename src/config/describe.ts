// The settings table told two ways: as markdown for docs/operations.md (npm run docs:config writes
// it there; test/config/config-docs.test.ts keeps it current) and as text for `torncat --help`.
import { SETTINGS, type Setting } from './settings.js';

const all = (): Setting<unknown>[] => Object.values(SETTINGS);

function shownDefault(s: Setting<unknown>): string | undefined {
  return s.shownDefault ?? (s.default ? s.default : undefined);
}

function meaning(s: Setting<unknown>): string {
  const parts = [
    s.doc,
    s.details,
    s.oldName && `Its old name \`${s.oldName.env}\` is still read (${s.oldName.note}), with a warning at start`,
  ];
  return parts.filter(Boolean).join('. ');
}

/** The markdown table of every setting, between the `<!-- config -->` markers of docs/operations.md. */
export function configTableMarkdown(): string {
  const rows = all().map((s) => {
    const name = `\`${s.env}\`${s.flag ? ` (\`${s.flag}\`)` : ''}`;
    const def = s.shownDefault ?? (s.default ? `\`${s.default}\`` : '*(unset)*');
    return `| ${name} | ${def} | ${s.value.accepts} | ${meaning(s)} |`;
  });
  return ['| variable (flag) | default | accepts | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

const plain = (markdown: string) => markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\*\*|`/g, '');

/** `torncat --help`'s list of variables: name and flag, what it accepts and its default, then its one line. */
export function configHelp(): string {
  return all()
    .map((s) => {
      const def = shownDefault(s);
      const head = `  ${s.env}${s.flag ? `, ${s.flag}` : ''}`;
      return `${head.padEnd(38)} ${plain(s.value.accepts)}${def ? `; default ${def}` : ''}\n      ${plain(s.doc)}`;
    })
    .join('\n');
}
