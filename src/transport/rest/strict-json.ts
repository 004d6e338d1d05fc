/**
 * JSON request bodies, parsed strictly: bytes that are not UTF-8 are refused (gRPC refuses such
 * strings too; a lenient decoder would turn them into U+FFFD), and so is an object with the
 * same key twice (JSON.parse keeps the last, so two readers of one body could disagree, e.g.
 * an audit proxy and us). Each refusal is INVALID_ARGUMENT naming the field.
 *
 *   const value = parseStrictJson(bytes);   // throws InvalidArgumentError
 */
import { visit, type JSONPath } from 'jsonc-parser';
import { InvalidArgumentError } from '../../domain/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** undefined for a body of whitespace only. */
export function parseStrictJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InvalidArgumentError([], 'Request body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new InvalidArgumentError([], `Request body is not valid JSON: ${(err as Error).message}`);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) throw InvalidArgumentError.field(duplicate, 'Given more than once in the request body');
  return value;
}

/** The path of the first key an object repeats (`labels.env`), or undefined. */
export function firstDuplicateKey(text: string): string | undefined {
  const open: Set<string>[] = [];
  let found: string | undefined;
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
      const keys = open.at(-1);
      if (found !== undefined || !keys) return;
      if (keys.has(property)) found = pathText([...pathSupplier(), property]);
      keys.add(property);
    },
  });
  return found;
}

function pathText(path: JSONPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
