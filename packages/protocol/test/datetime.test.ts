import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDateTime, formatW3C, parseLenientDateTime, parseXsdDateTime } from '../src/datetime.js';

function iso(d: Date | undefined): string | undefined {
  return d?.toISOString();
}

describe('parseLenientDateTime (requestTimestamp)', () => {
  const accepted: [string, string][] = [
    // Ruby Time#to_s (embulk-input-marketo)
    ['2015-07-06 00:00:00 +0000', '2015-07-06T00:00:00.000Z'],
    ['2015-11-25 12:34:56 +0900', '2015-11-25T03:34:56.000Z'],
    // suds, gSOAP, SOAP::WSDL
    ['2026-11-25T11:32:57Z', '2026-11-25T11:32:57.000Z'],
    // PHP DATE_W3C, JAX-WS, soap4r
    ['2026-11-25T11:32:55+00:00', '2026-11-25T11:32:55.000Z'],
    // zeep: 6 fraction digits
    ['2026-11-25T11:32:56.691561+00:00', '2026-11-25T11:32:56.691Z'],
    // Axis: 9 fraction digits
    ['2026-11-25T11:33:01.313547925Z', '2026-11-25T11:33:01.313Z'],
    // Mono: 7 fraction digits
    ['2026-11-25T11:33:02.5977430+00:00', '2026-11-25T11:33:02.597Z'],
    // node-soap, strong-soap
    ['2026-11-25T11:33:03.497Z', '2026-11-25T11:33:03.497Z'],
    // spec §2.2
    ['2013-07-30T14:15:06-07:00', '2013-07-30T21:15:06.000Z'],
    // a space for T, an offset without a colon, UTC spelled out
    ['2026-11-25 11:32:57Z', '2026-11-25T11:32:57.000Z'],
    ['2026-11-25T05:32:57-0600', '2026-11-25T11:32:57.000Z'],
    ['2026-11-25 11:32:57 UTC', '2026-11-25T11:32:57.000Z'],
    ['2026-11-25T17:02:57+05:30', '2026-11-25T11:32:57.000Z'],
    // no zone: UTC
    ['2026-11-25T11:32:57', '2026-11-25T11:32:57.000Z'],
    // surrounding whitespace
    [' 2026-11-25T11:32:57Z\n', '2026-11-25T11:32:57.000Z'],
    // a leap day, 24:00 and a leap second
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2026-12-31T24:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'],
  ];
  for (const [text, expected] of accepted) {
    test(`accepts ${JSON.stringify(text)} as ${expected}`, () => {
      assert.equal(iso(parseLenientDateTime(text)), expected);
    });
  }

  const rejected = [
    '',
    'garbage',
    'yesterday',
    '1764070377',
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-11-00T00:00:00Z',
    '2026-11-25T25:00:00Z',
    '2026-11-25T24:00:01Z',
    '2026-11-25T11:60:00Z',
    '2026-11-25T11:32:61Z',
    '2026-11-25T11:32Z',
    '2026-11-25',
    '2026-11-25T11:32:57+15:00',
    '2026-11-25T11:32:57+05:60',
    '2026-11-25T11:32:57 PST',
    '26-11-25T11:32:57Z',
    '2026-11-25T11:32:57Z trailing',
  ];
  for (const text of rejected) {
    test(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseLenientDateTime(text), undefined);
    });
  }
});

describe('parseXsdDateTime (xs:dateTime in a Body)', () => {
  test('accepts the xs:dateTime forms and keeps milliseconds', () => {
    assert.equal(iso(parseXsdDateTime('2026-11-01T00:00:00-06:00')), '2026-11-01T06:00:00.000Z');
    assert.equal(iso(parseXsdDateTime('2014-02-13T11:51:08.710-08:00')), '2014-02-13T19:51:08.710Z');
    assert.equal(iso(parseXsdDateTime('2026-11-01T06:00:00')), '2026-11-01T06:00:00.000Z');
  });

  test('rejects what only the lenient parser allows', () => {
    assert.equal(parseXsdDateTime('2015-07-06 00:00:00 +0000'), undefined);
    assert.equal(parseXsdDateTime('2026-11-01T06:00:00+0000'), undefined);
    assert.equal(parseXsdDateTime('2026-11-01T06:00:00 UTC'), undefined);
  });

  test('years below 100 are not mapped to the 1900s', () => {
    assert.equal(iso(parseXsdDateTime('0050-01-01T00:00:00Z')), '0050-01-01T00:00:00.000Z');
    assert.equal(iso(parseLenientDateTime('0099-12-31T23:59:59Z')), '0099-12-31T23:59:59.000Z');
    assert.equal(iso(parseXsdDateTime('0004-02-29T00:00:00Z')), '0004-02-29T00:00:00.000Z');
    assert.equal(parseXsdDateTime('0100-02-29T00:00:00Z'), undefined);
  });

  test('an instant beyond the Date range is rejected', () => {
    assert.equal(parseXsdDateTime('300000-01-01T00:00:00Z'), undefined);
  });
});

describe('formatW3C', () => {
  const t = new Date('2013-07-30T21:15:06.789Z');

  test('writes UTC as +00:00 by default, without the fraction', () => {
    assert.equal(formatW3C(t), '2013-07-30T21:15:06+00:00');
  });

  test('writes the local time of a negative, positive or half-hour offset', () => {
    assert.equal(formatW3C(t, -420), '2013-07-30T14:15:06-07:00');
    assert.equal(formatW3C(t, 330), '2013-07-31T02:45:06+05:30');
    assert.equal(formatW3C(t, -570), '2013-07-30T11:45:06-09:30');
  });

  test('crosses a year boundary', () => {
    assert.equal(formatW3C(new Date('2026-01-01T03:00:00Z'), -360), '2025-12-31T21:00:00-06:00');
  });

  test('parses back to the same second', () => {
    for (const offset of [0, -420, -360, 330, 840]) {
      assert.equal(iso(parseLenientDateTime(formatW3C(t, offset))), '2013-07-30T21:15:06.000Z', String(offset));
    }
  });
});

describe('formatDateTime', () => {
  test('writes YYYY-MM-DDThh:mm:ss+00:00 in UTC, dropping the milliseconds', () => {
    assert.equal(formatDateTime(new Date('2026-11-01T00:00:00.999-06:00')), '2026-11-01T06:00:00+00:00');
  });

  test('pads every field', () => {
    assert.equal(formatDateTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), '2026-01-02T03:04:05+00:00');
    const early = new Date(0);
    early.setUTCFullYear(50, 0, 1);
    assert.equal(formatDateTime(early), '0050-01-01T00:00:00+00:00');
  });

  test('is parsed back by parseXsdDateTime', () => {
    const d = new Date('2026-03-08T07:59:59Z');
    assert.equal(parseXsdDateTime(formatDateTime(d))?.getTime(), d.getTime());
  });
});
