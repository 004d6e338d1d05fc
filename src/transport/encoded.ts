/**
 * Encodes answers, reusing the bytes of messages that cannot change. A frozen message (the API
 * layer freezes the wire form of a row the embedded store's row cache shares between calls, see
 * `memoWire` in api/wire.ts) is encoded once per format, and its bytes are kept beside it for as
 * long as the message lives. A message holding a list of frozen messages (a List page) is
 * written by splicing their bytes: only the rest of it (the next page token) is encoded per call.
 * Any other message is encoded as it would be without this module.
 *
 *   responseSerialize: (msg) => Buffer.from(...view(encodeBinary(method.output, msg)))
 *   const json = jsonEncoder((schema, msg) => JSON.stringify(toJson(schema, msg, { registry })));
 *   res.end(json(schema, msg));   // text, or a frozen page's bytes
 *
 * Protobuf allows a message's fields in any order and a repeated field's elements need only
 * stay in order among themselves, so the spliced lists are written first, then the rest; in
 * JSON likewise, as one key each (an empty list is left out, as proto3 JSON does).
 */
import { toBinary, type DescField, type DescMessage, type Message } from '@bufbuild/protobuf';

type ListField = DescField & { fieldKind: 'list'; listKind: 'message' };

const binaries = new WeakMap<object, Uint8Array>();

/** The protobuf encoding of `msg`, as `toBinary` writes it but with frozen parts reused. */
export function encodeBinary(schema: DescMessage, msg: Message): Uint8Array {
  if (reusable(schema, msg)) {
    let bytes = binaries.get(msg);
    if (!bytes) binaries.set(msg, (bytes = toBinary(schema, msg)));
    return bytes;
  }
  const lists = splicedLists(schema, msg);
  if (lists.length === 0) return toBinary(schema, msg);
  // One buffer, sized first: per item its tag, its length and its bytes.
  const items: [tag: number, bytes: Uint8Array][] = [];
  let length = 0;
  for (const field of lists) {
    const tag = (field.number << 3) | 2;
    for (const item of listOf(msg, field)) {
      const bytes = encodeBinary(field.message, item);
      items.push([tag, bytes]);
      length += varintSize(tag) + varintSize(bytes.length) + bytes.length;
    }
  }
  const rest = toBinary(schema, withoutLists(msg, lists));
  const out = new Uint8Array(length + rest.length);
  let at = 0;
  for (const [tag, bytes] of items) {
    at = writeVarint(out, at, tag);
    at = writeVarint(out, at, bytes.length);
    out.set(bytes, at);
    at += bytes.length;
  }
  out.set(rest, at);
  return out;
}

/**
 * A JSON writer with memory: `write` turns one message into its JSON text (for REST: proto3 JSON
 * with clouddesk's registry and fix-ups); frozen messages are written once. The answer is text,
 * except for a frozen page (a frozen message with frozen items spliced in), which is kept and
 * answered as its UTF-8 bytes: a page is answered many times and never spliced into another,
 * and writing its text cost a REST List about 5 µs each time (flattened, measured and encoded
 * by node; bench/RESULTS.md, "Lists: the page as bytes"). Its items stay text, for splicing.
 */
export function jsonEncoder(write: (schema: DescMessage, msg: Message) => string): (schema: DescMessage, msg: Message) => string | Buffer {
  const texts = new WeakMap<object, string>();
  const pages = new WeakMap<object, Buffer>();
  /** The text of a frozen message, written once. */
  const text = (schema: DescMessage, msg: Message): string => {
    let known = texts.get(msg);
    if (known === undefined) texts.set(msg, (known = write(schema, msg)));
    return known;
  };
  const encode = (schema: DescMessage, msg: Message): string =>
    reusable(schema, msg) ? text(schema, msg) : spliced(schema, msg, splicedLists(schema, msg));
  const spliced = (schema: DescMessage, msg: Message, lists: ListField[]): string => {
    if (lists.length === 0) return write(schema, msg);
    const keys: string[] = [];
    for (const field of lists) {
      const items = listOf(msg, field);
      if (items.length > 0) keys.push(`${JSON.stringify(field.jsonName)}:[${items.map((item) => encode(field.message, item)).join(',')}]`);
    }
    const rest = write(schema, withoutLists(msg, lists));
    if (rest !== '{}') keys.push(rest.slice(1, -1));
    return `{${keys.join(',')}}`;
  };
  return (schema, msg) => {
    if (!reusable(schema, msg)) return spliced(schema, msg, splicedLists(schema, msg));
    let page = pages.get(msg);
    if (page) return page;
    const lists = splicedLists(schema, msg);
    if (lists.length === 0) return text(schema, msg);
    pages.set(msg, (page = Buffer.from(spliced(schema, msg, lists))));
    return page;
  };
}

/** A frozen message of this very type: its encoding, once made, is its encoding for good. */
function reusable(schema: DescMessage, msg: Message): boolean {
  return Object.isFrozen(msg) && msg.$typeName === schema.typeName;
}

const listFields = new WeakMap<DescMessage, ListField[]>();

/** The repeated message fields of `msg` that hold a frozen message: worth splicing. */
function splicedLists(schema: DescMessage, msg: Message): ListField[] {
  let fields = listFields.get(schema);
  if (!fields) {
    fields = schema.fields.filter((f): f is ListField => f.fieldKind === 'list' && f.listKind === 'message');
    listFields.set(schema, fields);
  }
  return fields.length === 0 ? fields : fields.filter((f) => listOf(msg, f).some((item) => Object.isFrozen(item)));
}

function listOf(msg: Message, field: ListField): Message[] {
  return (msg as unknown as Record<string, Message[]>)[field.localName]!;
}

function withoutLists(msg: Message, lists: ListField[]): Message {
  const rest: Record<string, unknown> = { ...msg };
  for (const field of lists) rest[field.localName] = [];
  return rest as unknown as Message;
}

function varintSize(n: number): number {
  let size = 1;
  while (n > 0x7f) {
    n >>>= 7;
    size += 1;
  }
  return size;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
  while (n > 0x7f) {
    out[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[at++] = n;
  return at;
}
