/**
 * The README's table of how the bridge serves each SOAP operation, written from the operations'
 * own declarations (operations/index.ts), so the table cannot say what the code does not do.
 * `npm run gen:bridge-doc` rewrites it between its markers; test/bridge-doc.test.ts fails when the
 * README and the code differ.
 */
import { OPERATIONS } from '@mktows/protocol';
import { BRIDGE_OPERATIONS } from './operations/index.js';

export const MAPPING_START = '<!-- bridge-mapping:start (npm run gen:bridge-doc writes this table) -->';
export const MAPPING_END = '<!-- bridge-mapping:end -->';

function cell(lines: readonly string[]): string {
  return lines.length ? lines.map((l) => l.replace(/\|/g, '\\|')).join('<br>') : '–';
}

export function renderBridgeMapping(): string {
  const rows = OPERATIONS.map((o) => {
    const op = BRIDGE_OPERATIONS[o.name as keyof typeof BRIDGE_OPERATIONS];
    if (!op) return `| ${o.name} | not served by the bridge: 20019 | – |`;
    const rest = op.rest.map((r) => `\`${r}\``);
    return `| ${o.name} | ${cell(rest.length ? rest : ['no REST call'])} | ${cell(op.differences)} |`;
  });
  return [
    MAPPING_START,
    "| SOAP operation | REST calls, in order | differences from Marketo's SOAP API |",
    '|---|---|---|',
    ...rows,
    MAPPING_END,
  ].join('\n');
}

/** The README with its mapping table replaced; throws when the markers are missing. */
export function withBridgeMapping(readme: string): string {
  const a = readme.indexOf(MAPPING_START);
  const b = readme.indexOf(MAPPING_END);
  if (a < 0 || b < a) throw new Error('README.md lacks the bridge mapping markers');
  return readme.slice(0, a) + renderBridgeMapping() + readme.slice(b + MAPPING_END.length);
}
