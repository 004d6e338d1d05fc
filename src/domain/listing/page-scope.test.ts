import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter } from './filter.js';
import { parseOrderBy, type OrderKey } from './order-by.js';
import { compareText, compareValues, keysetAfter, pageScope } from './page-scope.js';

const FILTER_FIELDS = ['name', 'created_at'];
const ORDER_FIELDS = { name: 'name', created_at: 'created_at', createdAt: 'created_at', status: 'status' };

function scope(filter: string, orderBy = '', folderId = 'folder-1', extra?: string): string {
  return pageScope({
    folderId,
    filter: parseFilter(filter, FILTER_FIELDS),
    order: parseOrderBy(orderBy, ORDER_FIELDS),
    ...(extra === undefined ? {} : { extra }),
  });
}

describe('pageScope', () => {
  it('is 16 lowercase hex characters', () => assert.match(scope('name = a'), /^[0-9a-f]{16}$/));

  it('is the same for the same logical request however it is written', () => {
    const same = [
      [`name = "a" AND created_at != 'b'`, 'created_at desc'],
      [`name='a' and createdAt!=b`, 'createdAt DESC'],
      [`  name   =   a   AND   created_at   !=   "b"  `, '  createdAt desc '],
      [`created_at != b AND name = a`, 'created_at desc'],
      [`name IN (a) AND created_at NOT IN ("b", b)`, 'created_at desc'],
      [`name = a AND name = a AND created_at != b`, 'created_at desc'],
    ] as const;
    const scopes = new Set(same.map(([f, o]) => scope(f, o)));
    assert.equal(scopes.size, 1);
  });

  it('treats a list as a set', () => {
    assert.equal(scope('name IN (a, b, c)'), scope("name in ('c', 'a', b, a)"));
    assert.equal(scope('name NOT IN (a, b)'), scope('name not in (b, a)'));
  });

  it('treats an empty order_by as the default it stands for', () => {
    assert.equal(scope('', ''), scope('', 'created_at'));
    assert.equal(scope('', ''), scope('', 'createdAt asc'));
  });

  it('differs when the folder, filter, order or extra differ', () => {
    const scopes = [
      scope('name = a'),
      scope('name = a', '', 'folder-2'),
      scope('name = b'),
      scope('name != a'),
      scope('name IN (a, b)'),
      scope('name NOT IN (a, b)'),
      scope('created_at = a'),
      scope(''),
      scope('name = a', 'created_at desc'),
      scope('name = a', 'name'),
      scope('name = a', 'name, status'),
      scope('name = a', 'status, name'),
      scope('name = a', '', 'folder-1', 'with-system'),
      scope('name = "a b"'),
      scope('name IN ("a,b")'),
      scope('name IN (a, "b")  AND name = c'),
      scope('name IN (a) AND name IN (b)'),
    ];
    assert.equal(new Set(scopes).size, scopes.length);
  });

  it('cannot be confused by values that look like separators', () => {
    assert.notEqual(scope('name IN ("a\\",\\"b")'), scope('name IN (a, b)'));
    assert.notEqual(scope('', '', 'f', ''), scope('', '', 'f', 'x'));
  });
});

describe('keysetAfter', () => {
  const order = (text: string): OrderKey[] => parseOrderBy(text, ORDER_FIELDS);

  it('compares key by key, ascending', () => {
    const o = order('name');
    assert.equal(keysetAfter(o, ['b', 'id2'], ['c', 'id1']), true);
    assert.equal(keysetAfter(o, ['b', 'id2'], ['a', 'id9']), false);
    assert.equal(keysetAfter(o, ['b', 'id2'], ['b', 'id3']), true);
    assert.equal(keysetAfter(o, ['b', 'id2'], ['b', 'id1']), false);
    assert.equal(keysetAfter(o, ['b', 'id2'], ['b', 'id2']), false, 'equal is not strictly after');
  });

  it('honours per-key directions', () => {
    const o = order('status desc, name'); // status desc, name asc, id asc
    assert.equal(keysetAfter(o, ['READY', 'm', 'x'], ['CREATING', 'a', 'a']), true);
    assert.equal(keysetAfter(o, ['READY', 'm', 'x'], ['READY', 'n', 'a']), true);
    assert.equal(keysetAfter(o, ['READY', 'm', 'x'], ['READY', 'l', 'z']), false);
    assert.equal(keysetAfter(o, ['READY', 'm', 'x'], ['READY', 'm', 'y']), true);
    const d = order('name desc'); // name desc, id desc
    assert.equal(keysetAfter(d, ['b', 'id2'], ['b', 'id1']), true);
    assert.equal(keysetAfter(d, ['b', 'id2'], ['c', 'id1']), false);
  });

  it('pages through a sorted list without gaps or repeats', () => {
    const rows = ['b', 'a', 'c', 'a', 'b', 'a'].map((name, i) => [name, `id${i}`]);
    for (const text of ['name', 'name desc']) {
      const o = order(text);
      const sorted = [...rows].sort((x, y) => (keysetAfter(o, y, x) ? 1 : keysetAfter(o, x, y) ? -1 : 0));
      const seen: unknown[][] = [];
      let last: unknown[] | undefined;
      for (;;) {
        const page = sorted.filter((r) => last === undefined || keysetAfter(o, last, r)).slice(0, 2);
        if (page.length === 0) break;
        seen.push(...page);
        last = page[page.length - 1];
      }
      assert.deepEqual(seen, sorted);
    }
  });

  it('rejects value lists that do not match the order', () => {
    assert.throws(() => keysetAfter(order('name'), ['a'], ['b', 'c']), RangeError);
  });
});

describe('compareValues (SQLite order)', () => {
  it('compares numbers numerically, not as text', () => {
    assert.ok(compareValues(9, 10) < 0);
    assert.ok(compareValues(10n, 9) > 0);
    assert.equal(compareValues(2, 2n), 0);
    assert.ok(compareValues(new Date(1000), new Date(2000)) < 0);
  });

  it('orders NULL < numbers < text < blobs', () => {
    const sorted = [Buffer.from('a'), 'a', 5, null].sort(compareValues);
    assert.deepEqual(sorted, [null, 5, 'a', Buffer.from('a')]);
  });

  it('compares text by UTF-8 bytes (BINARY collation): case-sensitive, code point order', () => {
    assert.ok(compareText('B', 'a') < 0);
    assert.ok(compareText('a', 'ab') < 0);
    assert.equal(compareText('é', 'é'), 0);
    // U+FF5E sorts before U+1F600 in UTF-8, though its UTF-16 code unit is larger.
    assert.ok(compareText('\uff5e', '🙂') < 0);
    assert.ok('\uff5e' > '🙂', 'JavaScript < would get this wrong');
    const words = ['🙂', '\uff5e', 'Z', 'a', 'ä', '', 'a🙂', 'a\uff5e'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...words].sort(compareText), byBytes);
  });

  it('refuses values a column cannot hold', () => {
    assert.throws(() => compareValues({}, 1), TypeError);
  });
});
