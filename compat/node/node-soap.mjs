// node-soap (npm `soap`): createClientAsync from the WSDL, the header added with addSoapHeader,
// <op>Async(params); a fault is the Error's parsed `root.Envelope.Body.Fault`.
import soap from 'soap';
import { authFields, ENDPOINT, NS, run, scenarios, WSDL } from './common.mjs';

const client = await soap.createClientAsync(WSDL, { endpoint: ENDPOINT });

async function call(op, params, key) {
  client.clearSoapHeaders();
  client.addSoapHeader({ AuthenticationHeader: authFields(key) }, '', 'ns1', NS);
  const [answer] = await client[`${op}Async`](params);
  return answer.result;
}

// node-soap's tns prefix is the WSDL's target namespace (the xsi:type relies on it, as users do).
const selector = (staticListName) => ({ attributes: { 'xsi:type': 'tns:StaticListSelector' }, staticListName });

const faultCode = (e) => String(e?.root?.Envelope?.Body?.Fault?.detail?.serviceException?.code ?? '');

await run(scenarios(call, selector), faultCode);
