#!/usr/bin/env node
// Lints Cypher statements with Neo4j's own Cypher front end (the parser and the semantic
// analysis of the Neo4j server, compiled to JavaScript in @neo4j-cypher/language-support),
// so a statement that Neo4j would reject fails in the test suite, not at run time.
//
// Input, either:
//   node lint.mjs FILE...            each file is one statement (or several, `;`-separated)
//   node lint.mjs < items.json       [{"file": "name", "text": "MATCH ...", "params": [...]}]
// `params` is optional: without it every `$name` in the statement counts as declared (the
// code supplies them at run time); with it (a list of names, or an object name -> value)
// only those are declared, so a statement using a parameter the caller never passes is an
// error.
//
// Options:
//   --cypher-version "CYPHER 5"   the dialect to check against (default: CYPHER 5, the one
//                                 Neo4j 5.26 speaks and the closest to FalkorDB's)
//   --schema FILE                 a JSON DbSchema to add (e.g. `procedures`/`functions` from a
//                                 real server): unknown procedures and functions are then
//                                 errors; without it they are not checked at all
//   --fail-on-warnings            exit 1 on warnings too (default: errors only)
//
// Output (stdout, JSON): {"version": ..., "files": {file: [diagnostic...]},
//                         "errors": n, "warnings": n}
// where a diagnostic is {severity, message, line, column, endLine, endColumn, offset, excerpt}
// (line and column 1-based). Exit status: 0 clean, 1 a diagnostic that fails, 2 bad input.

import { readFileSync } from 'node:fs';
import { lintCypherQuery, parseParameters } from '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };
// The package's "exports" hide its package.json from import/require; read it from disk.
const LIB_VERSION = JSON.parse(
  readFileSync(
    new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url),
    'utf8',
  ),
).version;

function usage(message) {
  process.stderr.write(`lint.mjs: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { cypherVersion: 'CYPHER 5', schema: {}, failOnWarnings: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--cypher-version') {
      opts.cypherVersion = argv[++i] ?? usage('--cypher-version needs a value');
    } else if (arg === '--schema') {
      const path = argv[++i] ?? usage('--schema needs a file');
      opts.schema = JSON.parse(readFileSync(path, 'utf8'));
    } else if (arg === '--fail-on-warnings') {
      opts.failOnWarnings = true;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(readFileSync(new URL(import.meta.url), 'utf8').split('\n\n')[0]);
      process.exit(0);
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}`);
    } else {
      opts.files.push(arg);
    }
  }
  return opts;
}

function readItems(files) {
  if (files.length > 0) {
    return files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  }
  let items;
  try {
    items = JSON.parse(readFileSync(0, 'utf8'));
  } catch (err) {
    usage(`stdin is not JSON: ${err.message}`);
  }
  if (!Array.isArray(items)) usage('stdin must be a JSON list of {file, text, params}');
  for (const item of items) {
    if (typeof item?.file !== 'string' || typeof item?.text !== 'string') {
      usage('every item needs a string "file" and a string "text"');
    }
  }
  return items;
}

function declaredParameters(item) {
  if (item.params === undefined || item.params === null) {
    // Every parameter the parser finds; a value of null marks it declared.
    return Object.fromEntries(parseParameters(item.text, false).map((name) => [name, null]));
  }
  if (Array.isArray(item.params)) {
    return Object.fromEntries(item.params.map((name) => [name, null]));
  }
  return { ...item.params };
}

function toDiagnostic(d, text) {
  return {
    severity: SEVERITY[d.severity] ?? String(d.severity),
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    offset: d.offsets?.start ?? null,
    excerpt: d.offsets ? text.slice(d.offsets.start, d.offsets.end) : '',
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const items = readItems(opts.files);
  const files = {};
  let errors = 0;
  let warnings = 0;
  for (const item of items) {
    const schema = {
      ...opts.schema,
      defaultLanguage: opts.cypherVersion,
      parameters: declaredParameters(item),
    };
    // Console commands (:param, :use ...) are a Browser/cypher-shell feature, not Cypher.
    const { diagnostics } = lintCypherQuery(item.text, schema, { consoleCommandsEnabled: false });
    const list = diagnostics.map((d) => toDiagnostic(d, item.text));
    errors += list.filter((d) => d.severity === 'error').length;
    warnings += list.filter((d) => d.severity === 'warning').length;
    files[item.file] = list;
  }
  const report = { version: LIB_VERSION, cypherVersion: opts.cypherVersion, files, errors, warnings };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  process.exitCode = errors > 0 || (opts.failOnWarnings && warnings > 0) ? 1 : 0;
}

main();
