/**
 * The instance's lead fields from its own `GET /rest/v1/leads/describe.json`: each field's REST
 * name, SOAP name (where it has one), display name (importToList's CSV headers) and type. The SOAP
 * and REST names are paired by describe, never by a case rule (`DateofBirth`/`dateOfBirth`,
 * `SICCode`/`sicCode`, `Lead Partition ID`/`leadPartitionId`).
 */
export interface BridgeLeadField {
  readonly rest: string;
  /** Absent for REST-only fields (createdAt, cookies…): they are not shown over SOAP. */
  readonly soap?: string;
  readonly displayName: string;
  readonly dataType: string;
  readonly length?: number;
  readonly restReadOnly: boolean;
  readonly soapReadOnly: boolean;
}

interface DescribeEntry {
  displayName?: string;
  dataType?: string;
  length?: number;
  rest?: { name?: string; readOnly?: boolean };
  soap?: { name?: string; readOnly?: boolean };
}

export class LeadFieldMap {
  readonly fields: readonly BridgeLeadField[];
  private readonly bySoapName = new Map<string, BridgeLeadField>();
  private readonly bySoapLower = new Map<string, BridgeLeadField>();
  private readonly byRestName = new Map<string, BridgeLeadField>();
  private readonly byLabel = new Map<string, BridgeLeadField>();

  constructor(describe: readonly unknown[]) {
    const fields: BridgeLeadField[] = [];
    for (const raw of describe) {
      const e = raw as DescribeEntry;
      const rest = e.rest?.name;
      if (typeof rest !== 'string' || rest === '') continue;
      const f: BridgeLeadField = {
        rest,
        ...(typeof e.soap?.name === 'string' && e.soap.name !== '' ? { soap: e.soap.name } : {}),
        displayName: e.displayName ?? rest,
        dataType: e.dataType ?? 'string',
        ...(typeof e.length === 'number' ? { length: e.length } : {}),
        restReadOnly: e.rest?.readOnly === true,
        soapReadOnly: (e.soap?.readOnly ?? e.rest?.readOnly) === true,
      };
      fields.push(f);
      this.byRestName.set(rest, f);
      if (f.soap !== undefined) {
        this.bySoapName.set(f.soap, f);
        if (!this.bySoapLower.has(f.soap.toLowerCase())) this.bySoapLower.set(f.soap.toLowerCase(), f);
      }
      this.byLabel.set(f.displayName.trim().toLowerCase(), f);
    }
    // A display name wins over a SOAP name that reads the same (the emulator's rule for headers).
    for (const f of fields) {
      if (f.soap !== undefined && !this.byLabel.has(f.soap.toLowerCase())) this.byLabel.set(f.soap.toLowerCase(), f);
    }
    this.fields = fields;
  }

  /** By SOAP attribute name: exact first, then case-insensitively (as the emulator accepts them). */
  bySoap(name: string): BridgeLeadField | undefined {
    return this.bySoapName.get(name) ?? this.bySoapLower.get(name.toLowerCase());
  }

  /** By SOAP attribute name exactly: how the emulator's SOAP operations name fields (includeAttributes, sync). */
  bySoapExact(name: string): BridgeLeadField | undefined {
    return this.bySoapName.get(name);
  }

  byRest(name: string): BridgeLeadField | undefined {
    return this.byRestName.get(name);
  }

  /** By display name or SOAP name, case-insensitively: importToList's CSV headers. */
  byHeader(label: string): BridgeLeadField | undefined {
    return this.byLabel.get(label.trim().toLowerCase());
  }

  /** Fields with a SOAP name: what a SOAP lead record may show. */
  soapFields(): BridgeLeadField[] {
    return this.fields.filter((f) => f.soap !== undefined);
  }
}
