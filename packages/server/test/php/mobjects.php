<?php
// getMObjects paging (and a few other MObject calls) driven by PHP's own SoapClient from the
// server's WSDL, the way Marketo's PHP samples did it: repeat getMObjects with the returned
// streamPosition while hasMore is true. Usage: php mobjects.php WSDL_URL USER_ID ENCRYPTION_KEY
// Prints one JSON object per line: the steps, then {"step":"done"}.
declare(strict_types=1);
require __DIR__ . '/common.php';

/** attribList / attrList as name => value. */
function attribs($list): array {
    $out = [];
    foreach ($list->attrib ?? [] as $a) $out[$a->name] = $a->value;
    return $out;
}

// SOAP_SINGLE_ELEMENT_ARRAYS: a list of one item is still an array.
$client = new SoapClient($wsdl, [
    'trace' => true,
    'exceptions' => true,
    'cache_wsdl' => WSDL_CACHE_NONE,
    'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
]);
$call = function (string $op, array $params) use ($client, $ns, $user, $key) {
    return $client->__soapCall($op, [$params], [], auth($ns, $user, $key));
};

// Every opportunity, page by page.
$page = function (array $params) use ($call): array {
    $keys = [];
    $pages = [];
    $position = null;
    do {
        $p = $params + ($position === null ? [] : ['streamPosition' => $position]);
        $r = $call('getMObjects', $p)->result;
        $objects = $r->mObjectList->mObject ?? [];
        foreach ($objects as $o) $keys[] = $o->externalKey->value ?? ('id:' . $o->id);
        $pages[] = ['returnCount' => $r->returnCount, 'hasMore' => $r->hasMore, 'objects' => count($objects)];
        $last = $position;
        $position = $r->newStreamPosition;
    } while ($r->hasMore && count($pages) < 20);
    return ['pages' => $pages, 'keys' => $keys, 'endPosition' => $position, 'lastPosition' => $last];
};

$all = $page(['type' => 'Opportunity']);
out(['step' => 'all', 'pages' => $all['pages'], 'keys' => $all['keys']]);

$even = $page([
    'type' => 'Opportunity',
    'mObjCriteriaList' => ['mObjCriteria' => [['attrName' => 'Stage', 'comparison' => 'EQ', 'attrValue' => 'Even']]],
]);
out(['step' => 'even', 'pages' => $even['pages'], 'keys' => $even['keys']]);

// The end position again, and a position for another query.
try {
    $call('getMObjects', ['type' => 'Opportunity', 'streamPosition' => $all['endPosition']]);
    out(['step' => 'at-end', 'fault' => null]);
} catch (SoapFault $e) {
    out(['step' => 'at-end', 'fault' => fault($e)]);
}
try {
    $call('getMObjects', [
        'type' => 'Opportunity',
        'mObjCriteriaList' => ['mObjCriteria' => [['attrName' => 'Stage', 'comparison' => 'NE', 'attrValue' => 'Even']]],
        'streamPosition' => $even['lastPosition'],
    ]);
    out(['step' => 'other-query', 'fault' => null]);
} catch (SoapFault $e) {
    out(['step' => 'other-query', 'fault' => fault($e)]);
}

// Programs with their details, as the FAQ suggests.
$programs = $call('getMObjects', ['type' => 'Program', 'includeDetails' => true])->result;
$first = $programs->mObjectList->mObject[0];
$typeAttribs = [];
foreach ($first->typeAttribList->typeAttrib ?? [] as $t) $typeAttribs[] = [$t->attrType, attribs($t->attrList)];
out(['step' => 'program', 'returnCount' => $programs->returnCount, 'attribs' => attribs($first->attribList),
     'typeAttribs' => $typeAttribs]);

// An opportunity and a person role written from PHP.
$r = $call('syncMObjects', [
    'mObjectList' => ['mObject' => [
        ['type' => 'Opportunity', 'externalKey' => ['name' => 'externalKey', 'value' => 'PHP-1'],
         'attribList' => ['attrib' => [['name' => 'Name', 'value' => 'From PHP'], ['name' => 'Amount', 'value' => '99.5']]]],
        ['type' => 'OpportunityPersonRole',
         'attribList' => ['attrib' => [['name' => 'Role', 'value' => 'Buyer']]],
         'associationList' => ['mObjAssociation' => [
             ['mObjType' => 'Lead', 'externalKey' => ['name' => 'Email', 'value' => 'ada@demo.example']],
             ['mObjType' => 'Opportunity', 'externalKey' => ['name' => 'externalKey', 'value' => 'PHP-1']],
         ]]],
        ['type' => 'Opportunity', 'attribList' => ['attrib' => [['name' => 'Colour', 'value' => 'red']]]],
    ]],
    'operation' => 'UPSERT',
])->result;
$statuses = [];
foreach ($r->mObjStatusList->mObjStatus as $st) {
    $statuses[] = ['id' => $st->id, 'status' => $st->status, 'error' => $st->error ?? null];
}
out(['step' => 'sync', 'statuses' => $statuses]);

// describeMObject: nil metadata elements reach PHP as null.
$meta = $call('describeMObject', ['objectName' => 'Opportunity'])->result->metadata;
$id = $meta->fieldList->field[0];
out(['step' => 'describe', 'name' => $meta->name, 'fields' => count($meta->fieldList->field),
     'idField' => ['name' => $id->name, 'displayName' => $id->displayName, 'size' => $id->size,
                   'isPrimaryKey' => $id->isPrimaryKey, 'dynamicFieldRef' => $id->dynamicFieldRef]]);

try {
    $call('getMObjects', ['type' => 'Company']);
    out(['step' => 'bad-type', 'fault' => null]);
} catch (SoapFault $e) {
    out(['step' => 'bad-type', 'fault' => fault($e)]);
}

out(['step' => 'done']);
