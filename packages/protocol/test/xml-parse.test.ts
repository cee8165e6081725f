import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  attr,
  lookupNamespace,
  parseXml,
  parseXmlBytes,
  resolveQName,
  XML_NS,
  type XmlElement,
  XmlError,
} from '../src/xml/parse.js';

/** Runs fn and returns the XmlError it throws; fails when it throws nothing or something else. */
function xmlError(fn: () => unknown): XmlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XmlError) return e;
    throw e;
  }
  assert.fail('expected an XmlError');
}

/** Asserts that parsing `input` fails with exactly `message` at `position`. */
function refused(input: string, message: string, position: number): void {
  const e = xmlError(() => parseXml(input));
  assert.equal(e.message, `${message} at offset ${position}`);
  assert.equal(e.position, position);
  assert.equal(e.name, 'XmlError');
}

function child(el: XmlElement, i: number): XmlElement {
  const c = el.children[i];
  assert.ok(c, `child ${i} of <${el.local}>`);
  return c;
}

describe('parseXml: namespaces', () => {
  test('a default namespace applies to the element and its descendants but not to unprefixed attributes', () => {
    const root = parseXml('<a xmlns="urn:x" b="1"><c/></a>');
    assert.equal(root.ns, 'urn:x');
    assert.equal(root.local, 'a');
    assert.equal(root.prefix, '');
    assert.deepEqual(root.attrs, [{ ns: '', local: 'b', prefix: '', value: '1' }]);
    assert.equal(child(root, 0).ns, 'urn:x');
  });

  test('xmlns="" puts an element and its descendants back in no namespace, siblings keep the default', () => {
    const root = parseXml('<a xmlns="urn:x"><b xmlns=""><c/></b><d/></a>');
    const b = child(root, 0);
    assert.equal(b.ns, '');
    assert.equal(child(b, 0).ns, '');
    assert.equal(child(root, 1).ns, 'urn:x');
    assert.equal(lookupNamespace(b.scope, ''), '');
    assert.equal(lookupNamespace(root.scope, ''), 'urn:x');
  });

  test('a prefix declared on the element itself qualifies that element', () => {
    const root = parseXml('<p:a xmlns:p="urn:p"/>');
    assert.equal(root.ns, 'urn:p');
    assert.equal(root.local, 'a');
    assert.equal(root.prefix, 'p');
    assert.deepEqual(root.attrs, []);
  });

  test('a prefix declared after the attribute that uses it still applies (Axis writes it that way)', () => {
    const root = parseXml(
      '<r xmlns="urn:d" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        '<leadSelector xsi:type="ns2:LastUpdateAtSelector" xmlns="" xmlns:ns2="http://www.marketo.com/mktows/"/></r>',
    );
    const sel = child(root, 0);
    assert.equal(sel.ns, '');
    assert.deepEqual(sel.attrs, [
      {
        ns: 'http://www.w3.org/2001/XMLSchema-instance',
        local: 'type',
        prefix: 'xsi',
        value: 'ns2:LastUpdateAtSelector',
      },
    ]);
    assert.deepEqual(resolveQName(sel, 'ns2:LastUpdateAtSelector'), {
      ns: 'http://www.marketo.com/mktows/',
      local: 'LastUpdateAtSelector',
    });
    const late = parseXml('<a p:x="1" xmlns:p="urn:p"/>');
    assert.deepEqual(late.attrs, [{ ns: 'urn:p', local: 'x', prefix: 'p', value: '1' }]);
  });

  test('one namespace bound to two prefixes gives the same namespace under either prefix', () => {
    const root = parseXml('<a:r xmlns:a="urn:x" xmlns:b="urn:x"><b:c/><a:c/></a:r>');
    assert.deepEqual(
      root.children.map((c) => [c.ns, c.local, c.prefix]),
      [
        ['urn:x', 'c', 'b'],
        ['urn:x', 'c', 'a'],
      ],
    );
  });

  test('a prefix rebound in an inner element is scoped to it and does not leak to siblings', () => {
    const root = parseXml('<r xmlns:p="urn:1"><q xmlns:p="urn:2"><p:x/></q><p:y/></r>');
    assert.equal(child(child(root, 0), 0).ns, 'urn:2');
    assert.equal(child(root, 1).ns, 'urn:1');
    assert.equal(lookupNamespace(root.scope, 'p'), 'urn:1');
  });

  test('the xml prefix is predefined', () => {
    const root = parseXml('<a xml:lang="en"/>');
    assert.equal(attr(root, XML_NS, 'lang'), 'en');
    assert.equal(attr(root, '', 'lang'), undefined);
  });

  test('resolveQName uses the default namespace for an unprefixed name and is undefined for an unbound prefix', () => {
    const root = parseXml('<a xmlns="urn:d" xmlns:p="urn:p"/>');
    assert.deepEqual(resolveQName(root, 'T'), { ns: 'urn:d', local: 'T' });
    assert.deepEqual(resolveQName(root, 'p:T'), { ns: 'urn:p', local: 'T' });
    assert.equal(resolveQName(root, 'q:T'), undefined);
    assert.deepEqual(resolveQName(parseXml('<a/>'), 'T'), { ns: '', local: 'T' });
  });
});

describe('parseXml: character data', () => {
  test('the five predefined entities and decimal and hex character references are decoded in text', () => {
    const root = parseXml('<a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;&#233;</a>');
    assert.equal(root.text, `<>&"'AB\u{1F600}\u00e9`);
  });

  test('entities and character references are decoded in attribute values, after whitespace normalisation', () => {
    const root = parseXml('<a v="&lt;&#10;x&#9;&amp;amp;" w=\'a\tb\nc\r\nd\' q=\'"\' s="\'"/>');
    assert.equal(attr(root, '', 'v'), '<\nx\t&amp;');
    assert.equal(attr(root, '', 'w'), 'a b c d');
    assert.equal(attr(root, '', 'q'), '"');
    assert.equal(attr(root, '', 's'), "'");
  });

  test('CDATA is kept verbatim, markup and entity syntax included', () => {
    const root = parseXml('<a>x<![CDATA[<b>&amp;]]]]>y</a>');
    assert.equal(root.text, 'x<b>&amp;]]y');
    assert.equal(root.children.length, 0);
  });

  test('comments and processing instructions are skipped everywhere', () => {
    const root = parseXml('<!-- c --><?pi data?><a><!-- inner -->t<?x y?>u</a><!-- after --><?z?>\n');
    assert.equal(root.local, 'a');
    assert.equal(root.text, 'tu');
    assert.equal(root.children.length, 0);
  });

  test('an element collects the character data around its children', () => {
    const root = parseXml('<a>x<b>in</b>y</a>');
    assert.equal(root.text, 'xy');
    assert.equal(child(root, 0).text, 'in');
  });

  test('CRLF and lone CR become LF in text and in CDATA', () => {
    const root = parseXml('<a>x\r\ny\rz<b><![CDATA[1\r\n2\r3]]></b></a>');
    assert.equal(root.text, 'x\ny\nz');
    assert.equal(child(root, 0).text, '1\n2\n3');
  });

  test('a character reference &#13; survives as CR', () => {
    assert.equal(parseXml('<a>x&#13;</a>').text, 'x\r');
  });
});

describe('parseXml: prolog', () => {
  test('an XML declaration with single quotes, with no encoding, with standalone, or with US-ASCII is accepted', () => {
    for (const decl of [
      "<?xml version='1.0' encoding='utf-8'?>\n",
      '<?xml version="1.0" ?>',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
      '<?xml version="1.0" encoding="UTF8"?>',
      '<?xml version="1.0" encoding="US-ASCII"?>',
    ]) {
      const root = parseXml(`${decl}<a>ok</a>`);
      assert.equal(root.local, 'a', decl);
      assert.equal(root.text, 'ok', decl);
    }
  });

  test('a byte order mark is skipped, in a string and in UTF-8 bytes, also before the XML declaration', () => {
    assert.equal(parseXml('\uFEFF<?xml version="1.0"?><a/>').local, 'a');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0"?><a>é</a>')]);
    const root = parseXmlBytes(bytes);
    assert.equal(root.local, 'a');
    assert.equal(root.text, 'é');
  });

  test('parseXmlBytes decodes multi-byte UTF-8', () => {
    assert.equal(parseXmlBytes(Buffer.from('<a>Łódź ✓ \u{1F600}</a>', 'utf8')).text, 'Łódź ✓ \u{1F600}');
  });

  test('whitespace in end tags and around = is allowed', () => {
    const root = parseXml('<a  x = "1"\n>t</a >');
    assert.equal(attr(root, '', 'x'), '1');
    assert.equal(root.text, 't');
  });
});

describe('parseXml: refusals', () => {
  test('a DOCTYPE is refused', () => {
    refused('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'a DOCTYPE is not allowed', 21);
    refused('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', 'a DOCTYPE is not allowed', 0);
    refused('<a><!DOCTYPE b></a>', 'a DOCTYPE is not allowed', 3);
  });

  test('a billion-laughs payload is refused at the DOCTYPE, fast and without expanding anything', () => {
    const lines = ['<?xml version="1.0"?>', '<!DOCTYPE lolz [', '  <!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) {
      const prev = i === 1 ? 'lol' : `lol${i - 1}`;
      lines.push(`  <!ENTITY lol${i} "${`&${prev};`.repeat(10)}">`);
    }
    lines.push(']>', '<lolz>&lol9;</lolz>');
    const payload = lines.join('\n');
    const started = performance.now();
    const e = xmlError(() => parseXml(payload));
    const elapsed = performance.now() - started;
    assert.equal(e.message, `a DOCTYPE is not allowed at offset ${payload.indexOf('<!DOCTYPE')}`);
    assert.ok(!e.message.includes('lollol'), 'nothing expanded into the message');
    assert.ok(elapsed < 50, `refused in ${elapsed} ms`);
  });

  test('an undefined entity is refused in text and in an attribute', () => {
    refused('<a>&lol;</a>', 'undefined entity &lol;', 3);
    refused('<a b="&x;"/>', 'undefined entity &x;', 6);
  });

  test('a bare ampersand is refused as an unterminated entity reference', () => {
    refused('<a>AT&T</a>', 'unterminated entity reference', 5);
  });

  test('a character reference to a non-XML character is refused', () => {
    refused('<a>&#0;</a>', 'character reference &#0; is not an XML character', 3);
    refused('<a>&#xD800;</a>', 'character reference &#xD800; is not an XML character', 3);
    refused('<a>&#x110000;</a>', 'character reference &#x110000; is not an XML character', 3);
  });

  test('mismatched tags are refused', () => {
    refused('<a><b></a></b>', 'end tag </a> does not match <b>', 6);
    refused('<p:a xmlns:p="urn:p" xmlns:q="urn:p"></q:a>', 'end tag </q:a> does not match <p:a>', 37);
  });

  test('an end tag with no open element is refused', () => {
    refused('</a>', 'unexpected end tag </a>', 0);
  });

  test('an unclosed element is refused', () => {
    refused('<a><b></b>', 'unclosed element <a>', 10);
  });

  test('an unterminated start tag is refused', () => {
    refused('<a x="1"', 'unterminated start tag <a', 0);
  });

  test('two root elements are refused', () => {
    refused('<a/><b/>', 'more than one root element', 4);
    refused('<a></a>\n<b></b>', 'more than one root element', 8);
  });

  test('text outside the root element is refused, before or after it', () => {
    refused('<a/>junk', 'text outside the root element', 4);
    refused('junk<a/>', 'text outside the root element', 0);
    refused('<a/><![CDATA[x]]>', 'CDATA outside the root element', 4);
  });

  test('an empty document or one with only comments has no root element', () => {
    refused('', 'no root element', 0);
    refused('<!-- only -->\n', 'no root element', 14);
  });

  test('an undeclared prefix is refused on an element and on an attribute', () => {
    refused('<p:a/>', 'undeclared namespace prefix "p"', 0);
    refused('<r><a p:x="1"/></r>', 'undeclared namespace prefix "p"', 3);
  });

  test('a prefix cannot be undeclared', () => {
    refused('<a xmlns:p=""/>', 'prefix p cannot be undeclared', 0);
  });

  test('a duplicate attribute is refused, also when two prefixes for one namespace name it', () => {
    refused('<a x="1" x="2"/>', 'duplicate attribute x', 11);
    refused('<a xmlns:p="urn:x" xmlns:q="urn:x" p:y="1" q:y="2"/>', 'duplicate attribute {urn:x}y', 0);
    // Different namespaces, or prefixed and unprefixed, are different attributes.
    const ok = parseXml('<a xmlns:p="urn:x" xmlns:q="urn:y" p:y="1" q:y="2" y="3"/>');
    assert.deepEqual(
      ok.attrs.map((a) => [a.ns, a.local, a.value]),
      [
        ['urn:x', 'y', '1'],
        ['urn:y', 'y', '2'],
        ['', 'y', '3'],
      ],
    );
  });

  test('an unquoted attribute value is refused', () => {
    refused('<a x=1/>', 'attribute x value must be quoted', 5);
  });

  test("an attribute without '=' is refused", () => {
    refused('<a x/>', 'expected = after attribute x', 4);
  });

  test('attributes not separated by whitespace are refused', () => {
    refused('<a x="1"y="2"/>', 'expected whitespace before an attribute', 8);
  });

  test("'<' in an attribute value is refused", () => {
    refused('<a x="<"/>', "'<' in the value of attribute x", 5);
  });

  test('an invalid name is refused', () => {
    refused('<1a/>', 'invalid name "1a"', 1);
    refused('<a:/>', 'invalid qualified name "a:"', 1);
    refused('<a:b:c/>', 'invalid qualified name "a:b:c"', 1);
  });

  test('control characters and U+FFFE/U+FFFF are refused anywhere', () => {
    refused('<a>\u0001</a>', 'character U+0001 is not allowed in XML', 3);
    refused('<a>\u0000</a>', 'character U+0000 is not allowed in XML', 3);
    refused('<a x="\u001f"/>', 'character U+001f is not allowed in XML', 6);
    refused('<a>\uFFFE</a>', 'character U+fffe is not allowed in XML', 3);
  });

  test("']]>' in character data is refused", () => {
    refused('<a>x]]>y</a>', "']]>' in character data", 3);
  });

  test('malformed comments and an unterminated CDATA section or PI are refused', () => {
    refused('<a><!-- x</a>', 'unterminated comment', 3);
    refused('<a><!-- a -- b --></a>', "'--' inside a comment", 3);
    refused('<a><![CDATA[x</a>', 'unterminated CDATA section', 3);
    refused('<a><?pi x</a>', 'unterminated processing instruction', 3);
    refused('<a><!ELEMENT a ANY></a>', 'unexpected markup declaration', 3);
  });

  test('an XML declaration that is not at the very start is refused', () => {
    refused(' <?xml version="1.0"?><a/>', 'XML declaration not at the start of the document', 1);
    refused('<a><?xml version="1.0"?></a>', 'XML declaration not at the start of the document', 3);
    refused('<?XML version="1.0"?><a/>', 'XML declaration not at the start of the document', 0);
  });

  test('a declared encoding other than UTF-8 or ASCII is refused', () => {
    refused('<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'encoding "ISO-8859-1" is not supported; send UTF-8', 0);
    refused("<?xml version='1.0' encoding='UTF-16'?><a/>", 'encoding "UTF-16" is not supported; send UTF-8', 0);
  });

  test('bytes that are not valid UTF-8 are refused by parseXmlBytes', () => {
    for (const bad of [[0xc3, 0x28], [0xc0, 0xaf], [0xff], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const bytes = Buffer.concat([Buffer.from('<a>'), Buffer.from(bad), Buffer.from('</a>')]);
      const e = xmlError(() => parseXmlBytes(bytes));
      assert.equal(e.message, 'the body is not valid UTF-8 at offset 0', bad.join(','));
    }
  });

  test('UTF-16 input is refused, with or without a byte order mark', () => {
    const le = Buffer.from('\uFEFF<?xml version="1.0" encoding="UTF-16"?><a/>', 'utf16le');
    assert.equal(xmlError(() => parseXmlBytes(le)).message, 'the body is not valid UTF-8 at offset 0');
    const be = Buffer.from(le);
    be.swap16();
    assert.equal(xmlError(() => parseXmlBytes(be)).message, 'the body is not valid UTF-8 at offset 0');
    // Without a BOM, UTF-16LE ASCII is valid UTF-8 full of NULs.
    const noBom = Buffer.from('<a/>', 'utf16le');
    assert.equal(xmlError(() => parseXmlBytes(noBom)).message, 'character U+0000 is not allowed in XML at offset 1');
  });
});
