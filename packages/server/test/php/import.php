<?php
// importToList with status polling, driven by PHP's own SoapClient from the server's WSDL, the way
// Marketo's PHP samples did it. Usage: php import.php WSDL_URL USER_ID ENCRYPTION_KEY
// Prints one JSON object per line: the steps, then {"step":"done"}. After {"step":"waiting"} it
// waits for one line on stdin (the test resumes the server's import runner) before polling on.
declare(strict_types=1);
require __DIR__ . '/common.php';

$client = new SoapClient($wsdl, ['trace' => true, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE]);
$call = function (string $op, array $params) use ($client, $ns, $user, $key) {
    return $client->__soapCall($op, [$params], [], auth($ns, $user, $key));
};

$rows = [
    'Paula,Php,paula.php@import.example,PHP Shop',
    'Quentin,Quote,quentin@import.example,"Quote, Comma & Co"',
    'Ada,Lovelace,ada@demo.example,Analytical Engines',
    'Bad,Row,bad.row@import.example',
];
$params = [
    'programName' => 'Demo Program',
    'importFileHeader' => 'First Name,Last Name,Email Address,Company Name',
    'importFileRows' => ['stringItem' => $rows],
    'importListMode' => 'UPSERTLEADS',
    'listName' => 'Imports',
    'clearList' => false,
    'campaignName' => null,
];

$r = $call('importToList', $params);
out(['step' => 'import', 'importStatus' => $r->result->importStatus,
     'campaignNameSent' => strpos($client->__getLastRequest(), '<campaignName xsi:nil="true"/>') !== false]);

$statusParams = ['programName' => 'Demo Program', 'listName' => 'Imports'];
$status = function () use ($call, $statusParams): array {
    $s = $call('getImportToListStatus', $statusParams)->result;
    return [
        'status' => $s->status,
        'startedTime' => $s->startedTime,
        'endedTime' => $s->endedTime,
        'estimatedRows' => $s->estimatedRows,
        'rowsImported' => $s->rowsImported,
        'rowsFailed' => $s->rowsFailed,
        'rowsIgnored' => $s->rowsIgnored,
        'importSummary' => $s->importSummary,
    ];
};
out(['step' => 'status'] + $status());

try {
    $call('importToList', $params);
    out(['step' => 'second-import', 'fault' => null]);
} catch (SoapFault $e) {
    out(['step' => 'second-import', 'fault' => fault($e)]);
}

try {
    $call('importToList', ['listName' => 'No Such List'] + $params);
    out(['step' => 'unknown-list', 'fault' => null]);
} catch (SoapFault $e) {
    out(['step' => 'unknown-list', 'fault' => fault($e)]);
}

out(['step' => 'waiting']);
fgets(STDIN);

$polls = 0;
do {
    usleep(100000);
    $s = $status();
    $polls++;
} while ($s['status'] === 'PROCESSING' && $polls < 300);
out(['step' => 'final', 'polls' => $polls] + $s);
out(['step' => 'done']);
