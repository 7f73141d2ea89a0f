// Reads a front matter (the YAML between two --- lines) into fields with their places in the text; checks nothing.
import * as l10n from '@vscode/l10n';
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { clamp } from '../common/math';
import type { FrontMatter, FrontMatterField, Parts, PromptFileProblem } from './promptFileTypes';
import type { Line, Section } from './promptSections';

/** Front matters already parsed, by their text: an edit re-reads only the one it touched (long files stay fast to check). */
const parsedYaml = new Map<string, ReturnType<typeof parseDocument>>();
const PARSED_YAML_LIMIT = 5000;
/** Alias expansions allowed in one value: a few are handy, thousands are an attack on the editor. */
const MAX_ALIAS_COUNT = 100;

/** The YAML document of a front matter's text; its ranges are relative to that text, so it serves wherever the text moves. */
function parseYaml(source: string): ReturnType<typeof parseDocument> {
  let doc = parsedYaml.get(source);
  if (!doc) {
    if (parsedYaml.size >= PARSED_YAML_LIMIT) parsedYaml.clear();
    doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false });
    parsedYaml.set(source, doc);
  }
  return doc;
}

export function readFrontMatter(text: string, lines: Line[], block: NonNullable<Section['frontMatter']>, problems: PromptFileProblem[]): FrontMatter {
  const open = lines[block.open];
  const bodyStart = open.next;
  const bodyEnd = block.close !== undefined ? lines[block.close].start : lines[block.last].next;
  const frontMatter: FrontMatter = {
    start: open.start,
    end: lines[block.last].end,
    bodyStart,
    bodyEnd: Math.max(bodyStart, bodyEnd),
    closed: block.close !== undefined,
    fields: [],
  };
  if (!frontMatter.closed) return frontMatter; // its end is a guess: reading it would only add noise

  const source = text.slice(bodyStart, bodyEnd);
  const doc = parseYaml(source);
  // An error found at the end of the YAML (an unclosed bracket) is shown on its last character, not on the closing ---.
  const last = Math.max(1, source.trimEnd().length);
  for (const error of doc.errors) {
    const start = Math.min(error.pos[0], last - 1);
    const end = clamp(error.pos[1], start + 1, last);
    problems.push({ message: l10n.t('The front matter is not valid YAML: {0}', firstLine(error.message)), start: bodyStart + start, end: bodyStart + end, severity: 'error' });
  }
  if (doc.errors.length > 0 || doc.contents === null) return frontMatter;
  if (!isMap(doc.contents)) {
    const [start, end] = doc.contents.range ?? [0, source.length];
    problems.push({ message: l10n.t('The front matter must be a list of `key: value` lines, for example `duration: 5`.'), start: bodyStart + start, end: bodyStart + end, severity: 'error' });
    return frontMatter;
  }
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const [keyStart, keyEnd] = (pair.key.range ?? [0, 0]).map((n) => bodyStart + n);
    const written = pair.value as Node | null;
    const [valueStart, valueEnd] = written?.range ? [bodyStart + written.range[0], bodyStart + written.range[1]] : [keyEnd, keyEnd];
    const valueNode = isAlias(written) ? (written.resolve(doc) ?? null) : written;
    let value: unknown;
    try {
      value = isSeq(valueNode) ? valueNode.items.map((item) => nodeValue(item as Node, doc, source)) : nodeValue(valueNode, doc, source);
    } catch {
      // The YAML library refuses an alias that expands too far (a "billion laughs" front matter).
      problems.push({ message: l10n.t('{0} repeats its aliases too often to be read: write the values out instead of using *aliases.', String(pair.key.value)), start: valueStart, end: valueEnd, severity: 'error' });
      continue;
    }
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    const newline = text.indexOf('\n', Math.max(valueEnd, keyEnd));
    const lineEnd = newline < 0 || newline >= bodyEnd ? bodyEnd : newline + 1;
    const field: FrontMatterField = { key: String(pair.key.value), value, keyStart, keyEnd, valueStart, valueEnd, lineStart, lineEnd };
    if (isSeq(valueNode)) {
      field.itemRanges = valueNode.items.map((item): [number, number] => {
        const range = (item as Node).range;
        return range ? [bodyStart + range[0], bodyStart + range[1]] : [valueStart, valueEnd];
      });
      if (valueNode.items.some(isMap)) field.itemParts = valueNode.items.map((item) => (isMap(item) ? partsOf(item, bodyStart) : undefined));
    }
    if (isMap(valueNode)) field.valueParts = partsOf(valueNode, bodyStart);
    frontMatter.fields.push(field);
  }
  return frontMatter;
}

/** A node's value with aliases resolved; a number too large for JavaScript stays as written, so a message can quote it. */
function nodeValue(node: Node | null, doc: Document, source: string): unknown {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (!target) return null;
  if (!isScalar(target)) return target.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
  if (typeof target.value === 'number' && !Number.isFinite(target.value) && target.range) return source.slice(target.range[0], target.range[1]);
  return target.value;
}

/** Where each value of a map (`{ image: ./a.png, voice: ./a.wav }`) is, by its key. */
function partsOf(map: { items: { key: unknown; value: unknown }[] }, bodyStart: number): Parts {
  const parts: Parts = {};
  for (const pair of map.items) {
    const range = (pair.value as Node | null)?.range;
    if (isScalar(pair.key) && range) parts[String(pair.key.value)] = [bodyStart + range[0], bodyStart + range[1]];
  }
  return parts;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
