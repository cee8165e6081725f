<?php
// syncLead with the keys PHP users send that are not leadRecord elements: the e-mail only as an
// Email attribute of leadAttributeList, with attrType (as a popular PHP wrapper documents it), and
// an anonymous visitor's Munchkin cookie alone. Usage: php sync-keys.php WSDL_URL USER_ID ENCRYPTION_KEY
// Prints one JSON object per line: the steps, then {"step":"done"}.
declare(strict_types=1);
require __DIR__ . '/common.php';

$client = new SoapClient($wsdl, ['trace' => true, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE]);

/** One syncLead: its status, lead id and returned e-mail, or the fault. */
$sync = function (array $attributes, ?string $cookie = null) use ($client, $ns, $user, $key): array {
    $list = [];
    foreach ($attributes as $name => $value) {
        $list[] = ['attrName' => $name, 'attrType' => 'string', 'attrValue' => $value];
    }
    $params = ['leadRecord' => ['leadAttributeList' => ['attribute' => $list]], 'returnLead' => true];
    if ($cookie !== null) $params['marketoCookie'] = $cookie;
    try {
        $r = $client->__soapCall('syncLead', [$params], [], auth($ns, $user, $key))->result;
        return ['status' => $r->syncStatus->status, 'leadId' => $r->leadId, 'email' => $r->leadRecord->Email ?? null];
    } catch (SoapFault $e) {
        return ['fault' => fault($e)];
    }
};

out(['step' => 'email-new'] + $sync(['Email' => 'php.wrapper@example.com', 'FirstName' => 'Php']));
out(['step' => 'email-again'] + $sync(['FirstName' => 'Again', 'Email' => 'php.wrapper@example.com']));
$cookie = 'id:123-ABC-456&token:_mch-php.example-1700000000000-4242';
out(['step' => 'cookie-new'] + $sync(['FirstName' => 'Visitor'], $cookie));
out(['step' => 'cookie-again'] + $sync(['Email' => 'visitor.known@example.com'], $cookie));
out(['step' => 'no-key'] + $sync(['FirstName' => 'Nobody']));
out(['step' => 'done']);
