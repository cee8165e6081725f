// strong-soap: createClient from the WSDL, the header added with addSoapHeader under its QName,
// arguments keyed by the message part (`params<Op>`); a fault is the Error's parsed `root`.
import { promisify } from 'node:util';
import strongSoap from 'strong-soap';
import { authFields, ENDPOINT, NS, run, scenarios, WSDL } from './common.mjs';

const { soap, QName } = strongSoap;
const client = await promisify(soap.createClient)(WSDL, { endpoint: ENDPOINT });
const authQName = new QName(NS, 'AuthenticationHeader', 'ns1');

function call(op, params, key) {
  client.clearSoapHeaders();
  client.addSoapHeader(authFields(key), authQName);
  const part = `params${op[0].toUpperCase()}${op.slice(1)}`;
  return new Promise((resolve, reject) => {
    client[op]({ [part]: params }, (err, answer) => (err ? reject(err) : resolve(answer.result)));
  });
}

const selector = (staticListName) => ({ $attributes: { $xsiType: `{${NS}}StaticListSelector` }, staticListName });

const faultCode = (e) => String(e?.root?.Envelope?.Body?.Fault?.detail?.serviceException?.code ?? '');

await run(scenarios(call, selector), faultCode);
