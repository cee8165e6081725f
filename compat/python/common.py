"""Shared bits of the Python drivers: settings from the environment, signing, the RESULT lines."""

import datetime
import hashlib
import hmac
import os
import re

NS = 'http://www.marketo.com/mktows/'
WSDL = os.environ['MKTOWS_WSDL']
ENDPOINT = os.environ['MKTOWS_ENDPOINT']
USER = os.environ['MKTOWS_USER']
KEY = os.environ['MKTOWS_KEY']
EMAIL = os.environ['MKTOWS_EMAIL']
WRONG_KEY = 'not-the-right-key-at-all'


def sign(key=KEY, timestamp=None):
    """(timestamp, signature) as Marketo's Python samples made them."""
    ts = timestamp or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds')
    return ts, hmac.new(key.encode(), (ts + USER).encode(), hashlib.sha1).hexdigest()


def report(name, status, code='', msg=''):
    print('RESULT\t%s\t%s\t%s\t%s' % (name, status, code, re.sub(r'\s+', ' ', str(msg))), flush=True)


def check(cond, what):
    if not cond:
        raise AssertionError('assertion failed: ' + what)


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def run(scenarios, fault_type, fault_code):
    """Runs (name, fn, expected_fault_code or None); fault_code(e) reads the code via the stack's API."""
    for name, fn, expected in scenarios:
        try:
            fn()
            report(name, 'fail', '', 'no fault; expected %s' % expected) if expected else report(name, 'pass')
        except fault_type as e:
            code = fault_code(e)
            if expected and code == str(expected):
                report(name, 'pass', code)
            else:
                report(name, 'fail', code, '%s: %s' % (type(e).__name__, e))
        except Exception as e:  # noqa: BLE001 - every other error fails the scenario
            report(name, 'fail', '', '%s: %s' % (type(e).__name__, e))
