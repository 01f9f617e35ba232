// The import graph of src/ (and who uses what from test/ and bench/), read with TypeScript's own
// parser: enough to check the layering, find cycles and exports nobody imports.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ModuleInfo {
  /** Path relative to the repository root, e.g. src/realtime/hub/hub.ts. */
  file: string;
  /** Relative imports, resolved to repository paths, with the names taken (`*` for a namespace or re-export of all). */
  imports: { target: string; names: string[]; typeOnly: boolean }[];
  /** Names this module declares and exports (types, or values: functions, classes, constants); re-exports not included. */
  exports: { name: string; type: boolean }[];
}

export const ROOT = resolve(import.meta.dirname, '../..');

function tsFiles(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => /\.(ts|mts)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}

function resolveSpecifier(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = join(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(join(ROOT, candidate))) return candidate;
  }
  return null;
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function dynamicNames(call: ts.CallExpression): string[] {
  let node: ts.Node = call.parent;
  while (ts.isAwaitExpression(node) || ts.isParenthesizedExpression(node)) node = node.parent;
  if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name))
    return node.name.elements.map((el) => ((el.propertyName ?? el.name) as ts.Identifier).text);
  if (ts.isPropertyAccessExpression(node) && node.name.text !== 'then') return [node.name.text];
  return ['*'];
}

export function readModule(file: string): ModuleInfo {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const info: ModuleInfo = { file, imports: [], exports: [] };
  // `await import('./x.js')`, which the CLI uses to load only what a command runs: the names taken
  // from a destructuring, `(await import(…)).name`, or all.
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      const target = resolveSpecifier(file, node.arguments[0].text);
      if (target) info.imports.push({ target, names: dynamicNames(node), typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const target = resolveSpecifier(file, st.moduleSpecifier.text);
      if (!target) continue;
      const clause = st.importClause;
      const names: string[] = [];
      if (clause?.name) names.push('default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
      info.imports.push({ target, names, typeOnly: !!clause?.isTypeOnly });
    } else if (ts.isExportDeclaration(st)) {
      const target = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? resolveSpecifier(file, st.moduleSpecifier.text) : null;
      if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        if (target)
          info.imports.push({
            target,
            names: st.exportClause.elements.map((el) => (el.propertyName ?? el.name).text),
            typeOnly: st.isTypeOnly,
          });
      } else if (target) {
        info.imports.push({ target, names: ['*'], typeOnly: st.isTypeOnly });
      }
    } else if (hasExportModifier(st)) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) info.exports.push({ name: d.name.text, type: false });
      } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
        info.exports.push({ name: st.name.text, type: false });
      } else if ((ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) && st.name) {
        info.exports.push({ name: st.name.text, type: true });
      }
    } else if (ts.isExportAssignment(st)) {
      info.exports.push({ name: 'default', type: false });
    }
  }
  return info;
}

/** Every module of src/, test/ and bench/. */
export function readGraph(): Map<string, ModuleInfo> {
  const files = [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('bench')];
  return new Map(files.map((f) => [f, readModule(f)]));
}

/** The part a src/ file belongs to: its first folder under src/, or the file itself at the top. */
export function partOf(file: string): string {
  const parts = relative('src', file).split(/[\\/]/);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.ts$/, '');
}

/** Cycles among src/ modules (each as the list of files around it), by depth-first search. */
export function cycles(graph: Map<string, ModuleInfo>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'visiting');
    stack.push(f);
    for (const imp of graph.get(f)?.imports ?? []) {
      if (!imp.target.startsWith('src/')) continue;
      const s = state.get(imp.target);
      if (s === 'visiting') found.push([...stack.slice(stack.indexOf(imp.target)), imp.target]);
      else if (!s) visit(imp.target);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (f.startsWith('src/') && !state.has(f)) visit(f);
  return found;
}
