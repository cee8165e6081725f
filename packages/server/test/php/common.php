<?php
// What the PHP SoapClient drivers share: the arguments, JSON-lines output, a freshly signed
// AuthenticationHeader per call (as Marketo's PHP samples did) and a SoapFault as plain fields.
declare(strict_types=1);
date_default_timezone_set('UTC');
ini_set('soap.wsdl_cache_enabled', '0');

[$self, $wsdl, $user, $key] = $argv;
$ns = 'http://www.marketo.com/mktows/';

function out(array $line): void {
    fwrite(STDOUT, json_encode($line, JSON_UNESCAPED_SLASHES) . "\n");
    fflush(STDOUT);
}

// A fresh signature for every call, as Marketo asks.
function auth(string $ns, string $user, string $key): SoapHeader {
    $ts = date(DATE_W3C);
    return new SoapHeader($ns, 'AuthenticationHeader', [
        'mktowsUserId' => $user,
        'requestSignature' => hash_hmac('sha1', $ts . $user, $key),
        'requestTimestamp' => $ts,
    ]);
}

function fault(SoapFault $e): array {
    $ex = $e->detail->serviceException ?? null;
    return [
        'faultcode' => $e->faultcode,
        'faultstring' => $e->faultstring,
        'name' => $ex->name ?? null,
        'message' => $ex->message ?? null,
        'code' => isset($ex->code) ? (int) $ex->code : null,
    ];
}
