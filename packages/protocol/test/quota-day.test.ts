import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertTimeZone, nextQuotaReset, quotaDay } from '../src/quota-day.js';

const CHICAGO = 'America/Chicago';

function at(iso: string): number {
  const t = Date.parse(iso);
  assert.ok(!Number.isNaN(t), iso);
  return t;
}

/** [instant, quota day, next reset] */
type Case = [string, string, string];

function check(zone: string, cases: Case[]): void {
  for (const [t, day, reset] of cases) {
    assert.equal(quotaDay(at(t), zone), day, `quotaDay(${t})`);
    assert.equal(nextQuotaReset(at(t), zone).toISOString(), reset, `nextQuotaReset(${t})`);
  }
}

describe('quotaDay and nextQuotaReset in America/Chicago', () => {
  test('the day before spring forward (2026-03-08) ends at 06:00Z, CST midnight', () => {
    check(CHICAGO, [['2026-03-07T12:00:00Z', '2026-03-07', '2026-03-08T06:00:00.000Z']]);
  });

  test('the spring-forward day itself ends at 05:00Z, CDT midnight', () => {
    check(CHICAGO, [
      ['2026-03-08T12:00:00Z', '2026-03-08', '2026-03-09T05:00:00.000Z'],
      // 01:30 CST, before the clocks jump
      ['2026-03-08T07:30:00Z', '2026-03-08', '2026-03-09T05:00:00.000Z'],
      // 03:30 CDT, after it
      ['2026-03-08T08:30:00Z', '2026-03-08', '2026-03-09T05:00:00.000Z'],
    ]);
  });

  test('the day before fall back (2026-11-01) ends at 05:00Z, CDT midnight', () => {
    check(CHICAGO, [['2026-10-31T12:00:00Z', '2026-10-31', '2026-11-01T05:00:00.000Z']]);
  });

  test('the fall-back day itself ends at 06:00Z, CST midnight, from either 01:30', () => {
    check(CHICAGO, [
      ['2026-11-01T12:00:00Z', '2026-11-01', '2026-11-02T06:00:00.000Z'],
      // 01:30 CDT, the first time
      ['2026-11-01T06:30:00Z', '2026-11-01', '2026-11-02T06:00:00.000Z'],
      // 01:30 CST, the second time
      ['2026-11-01T07:30:00Z', '2026-11-01', '2026-11-02T06:00:00.000Z'],
    ]);
  });

  test('just before and just after midnight, in winter, in summer and across both changes', () => {
    check(CHICAGO, [
      ['2026-03-08T05:59:59.999Z', '2026-03-07', '2026-03-08T06:00:00.000Z'],
      ['2026-03-08T06:00:00.000Z', '2026-03-08', '2026-03-09T05:00:00.000Z'],
      ['2026-03-09T04:59:59.999Z', '2026-03-08', '2026-03-09T05:00:00.000Z'],
      ['2026-03-09T05:00:00.000Z', '2026-03-09', '2026-03-10T05:00:00.000Z'],
      ['2026-11-01T04:59:59.999Z', '2026-10-31', '2026-11-01T05:00:00.000Z'],
      ['2026-11-01T05:00:00.000Z', '2026-11-01', '2026-11-02T06:00:00.000Z'],
      ['2026-11-02T05:59:59.999Z', '2026-11-01', '2026-11-02T06:00:00.000Z'],
      ['2026-11-02T06:00:00.000Z', '2026-11-02', '2026-11-03T06:00:00.000Z'],
      ['2026-01-15T05:59:59.999Z', '2026-01-14', '2026-01-15T06:00:00.000Z'],
      ['2026-07-15T04:59:59.999Z', '2026-07-14', '2026-07-15T05:00:00.000Z'],
      ['2026-07-15T05:00:00.000Z', '2026-07-15', '2026-07-16T05:00:00.000Z'],
      ['2026-12-31T23:00:00.000Z', '2026-12-31', '2027-01-01T06:00:00.000Z'],
    ]);
  });

  test('for every hour of 2026 the reset is the first instant of the next quota day', () => {
    const start = at('2026-01-01T00:00:00Z');
    const end = at('2027-01-01T00:00:00Z');
    for (let t = start; t < end; t += 3_600_000) {
      const day = quotaDay(t, CHICAGO);
      const reset = nextQuotaReset(t, CHICAGO).getTime();
      assert.ok(reset > t, new Date(t).toISOString());
      assert.ok(reset - t <= 25 * 3_600_000, new Date(t).toISOString());
      assert.notEqual(quotaDay(reset, CHICAGO), day, new Date(t).toISOString());
      assert.equal(quotaDay(reset - 1, CHICAGO), day, new Date(t).toISOString());
    }
  });
});

describe('other zones', () => {
  test('UTC days run from 00:00Z to 00:00Z', () => {
    check('UTC', [
      ['2026-03-08T23:59:59.999Z', '2026-03-08', '2026-03-09T00:00:00.000Z'],
      ['2026-03-09T00:00:00.000Z', '2026-03-09', '2026-03-10T00:00:00.000Z'],
      ['2026-12-31T12:00:00.000Z', '2026-12-31', '2027-01-01T00:00:00.000Z'],
      ['2028-02-28T12:00:00.000Z', '2028-02-28', '2028-02-29T00:00:00.000Z'],
    ]);
  });

  test('a half-hour zone (Asia/Kolkata) resets at 18:30Z', () => {
    check('Asia/Kolkata', [
      ['2026-01-01T18:29:59.999Z', '2026-01-01', '2026-01-01T18:30:00.000Z'],
      ['2026-01-01T18:30:00.000Z', '2026-01-02', '2026-01-02T18:30:00.000Z'],
    ]);
  });

  test('where DST starts at midnight (America/Santiago) the day starts at 01:00, the first instant it has', () => {
    check('America/Santiago', [
      ['2026-09-05T12:00:00Z', '2026-09-05', '2026-09-06T04:00:00.000Z'],
      ['2026-09-06T03:59:59.999Z', '2026-09-05', '2026-09-06T04:00:00.000Z'],
      ['2026-09-06T05:00:00Z', '2026-09-06', '2026-09-07T03:00:00.000Z'],
      // DST ends at midnight: 00:00 -03 becomes 23:00 -04, so the next day starts at 00:00 -04.
      ['2026-04-04T12:00:00Z', '2026-04-04', '2026-04-05T04:00:00.000Z'],
    ]);
  });
});

describe('assertTimeZone', () => {
  test('accepts IANA zone names', () => {
    assert.doesNotThrow(() => assertTimeZone(CHICAGO));
    assert.doesNotThrow(() => assertTimeZone('UTC'));
    assert.doesNotThrow(() => assertTimeZone('Europe/Berlin'));
  });

  test('an invalid zone throws RangeError, and so do quotaDay and nextQuotaReset', () => {
    assert.throws(() => assertTimeZone('Mars/Olympus_Mons'), RangeError);
    assert.throws(() => assertTimeZone(''), RangeError);
    assert.throws(() => quotaDay(0, 'America/Chicag'), RangeError);
    assert.throws(() => nextQuotaReset(0, 'Not/AZone'), RangeError);
  });
});
