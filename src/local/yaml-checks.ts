import type { Document, Node as YamlNode } from 'yaml';
import { loadYaml } from '../util/lazy.js';

/*
 * What a YAML document may say that JSON cannot hold exactly, found on the parsed nodes (before
 * any conversion, which would lose it silently): merge keys, keys that are collections, two keys
 * of a mapping that become the same text, and integers past 2^53 that lost digits. One walk, the first problem.
 */

/** A problem found on a node: its message and the offset in the text it starts at. */
export interface NodeProblem {
  message: string;
  offset: number;
}

// Why a YAML merge key is refused: YAML 1.2 reads a plain `<<` as a key named `<<`, which a dashboard
// would then hold; YAML 1.1 readers (and `!!merge`) merge instead. Refused, rather than given either
// meaning behind the user's back; `"<<"` in quotes is a key in every reader.
const MERGE_KEY_PROBLEM =
  'YAML merge keys (<<) are not supported: write the keys out (a quoted "<<" is an ordinary key)';
const MERGE_TAG = 'tag:yaml.org,2002:merge';
// An integer literal (decimal, octal, hex, as the core schema reads them).
const INTEGER_LITERAL = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/** The first key or number of the document that JSON cannot hold exactly, if any. */
export function nodeProblem(doc: Document.Parsed): NodeProblem | undefined {
  const yaml = loadYaml();
  let found: NodeProblem | undefined;
  const at = (node: unknown): number => (node as YamlNode | undefined)?.range?.[0] ?? 0;
  yaml.visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const problem = keyProblem(doc, pair.key, seen);
        if (problem) {
          found = { message: problem, offset: at(pair.key) };
          return yaml.visit.BREAK;
        }
      }
      return undefined;
    },
    Scalar(_key, node) {
      // Past 2^53 - 1 an integer is refused only when its value lost digits: 10000000000000000 (what
      // a server's 1e16 is written as) is held exactly, 9007199254740993 is not.
      const source = String(node.source ?? '');
      if (
        typeof node.value === 'number' &&
        Number.isInteger(node.value) &&
        !Number.isSafeInteger(node.value) &&
        INTEGER_LITERAL.test(source) &&
        BigInt(source) !== BigInt(node.value)
      ) {
        found = {
          message: `${String(node.source)} is too large to be held exactly (integers go up to 9007199254740991, 2^53 - 1): quote it to keep it as text`,
          offset: at(node),
        };
        return yaml.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

// What is wrong with one key of a mapping (given the keys before it, as text), if anything.
function keyProblem(doc: Document.Parsed, key: unknown, seen: Set<string>): string | undefined {
  const yaml = loadYaml();
  if (yaml.isScalar(key)) {
    if (
      key.tag === MERGE_TAG ||
      typeof key.value === 'symbol' ||
      (key.value === '<<' && key.type === yaml.Scalar.PLAIN)
    )
      return MERGE_KEY_PROBLEM;
  }
  const target = yaml.isAlias(key) ? key.resolve(doc) : key;
  if (target !== undefined && target !== null && !yaml.isScalar(target))
    return 'a key must be text or a number, not a mapping or a list: JSON keys are text';
  const text = yaml.isScalar(target) ? String(target.value) : String(target ?? '');
  if (seen.has(text)) return `key "${text}" appears twice once keys are read as text (JSON keys are text): keep one`;
  seen.add(text);
  return undefined;
}
