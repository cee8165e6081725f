/** Conversion between stored leads and the LeadRecord elements of the wire. */
import {
  type ArrayOfLeadRecord,
  complexType,
  contentEncoder,
  type ElementTags,
  type EncodeState,
  elementTags,
  escapeText,
  inVersion,
  type LeadRecord,
  preEncoded,
  type Version,
} from '@mktows/protocol';
import type { Lead, PagedLead } from '../store/store.js';
import type { LeadSchema } from './lead-schema.js';

/**
 * A stored lead as a LeadRecord. Empty values are left out (as Marketo did). With `include`,
 * only the named fields are returned, and Email is nil unless named.
 */
export function toLeadRecord(lead: Lead, schema: LeadSchema, include?: ReadonlySet<string>): LeadRecord {
  const attribute: { attrName: string; attrType: string; attrValue: string }[] = [];
  for (const name of schema.attributeOrder) {
    const value = lead.attributes[name];
    if (value === undefined || value === '') continue;
    if (include && !include.has(name)) continue;
    attribute.push({ attrName: name, attrType: schema.typeOf(name) ?? 'string', attrValue: value });
  }
  return {
    Id: lead.id,
    Email: include && !include.has('Email') ? null : lead.email,
    ForeignSysPersonId: lead.foreignSysPersonId,
    ForeignSysType: (lead.foreignSysType as LeadRecord['ForeignSysType']) ?? null,
    leadAttributeList: attribute.length ? { attribute } : null,
  };
}

/** What an attribute element looks like around its value, as the schema encoder writes it. */
interface AttributeSlot {
  /** Position in the schema's attribute order. */
  readonly order: number;
  readonly name: string;
  readonly type: string;
  /** `<attribute><attrName>…</attrName><attrType>…</attrType><attrValue>` */
  readonly open: string;
  /** The previous attribute's close and this one's open, in one piece. */
  readonly closeOpen: string;
}

/** Puts a value among the first n found, which stay in the schema's order. */
function insertInOrder(found: AttributeSlot[], vals: unknown[], n: number, slot: AttributeSlot, value: unknown): void {
  let j = n;
  while (j > 0 && found[j - 1].order > slot.order) {
    found[j] = found[j - 1];
    vals[j] = vals[j - 1];
    j--;
  }
  found[j] = slot;
  vals[j] = value;
}

/** Stands for the value in an attribute template; field names and types never contain it. */
const HOLE = '\u0000';
/** A raw control character: JSON.parse refuses the text (the scan would not notice). */
const CONTROL = /[\u0000-\u001f]/;
/** Text per piece of a page's content: far below V8's large-object size (128 KiB) even as UTF-16. */
const PIECE_CHARS = 1 << 14;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

type Encoder = ReturnType<typeof contentEncoder>;

/**
 * Writes the leadRecord elements of a page from stored leads, the same bytes as `toLeadRecord`
 * and the schema encoder would write, with less work per lead. The attributes are read from the
 * JSON text by a scan (JSON.parse only for text that needs it), put in schema order among the
 * lead's own values (about 15) rather than by a walk over every field of the schema (about 100),
 * and written through templates of the attribute element that the schema encoder made once, with
 * no LeadRecord or Attribute object per lead. Id, Email and the foreign-system fields still go
 * through the schema encoder.
 */
export class LeadRecordWriter {
  private readonly slots = new Map<string, AttributeSlot>();
  /** Encodes an attribute whose value is not text (hand-edited data), as the general path does. */
  private readonly attributes: Encoder;
  /** The LeadRecord's fields before its attribute list (the list left undefined is left out). */
  private readonly head: Encoder;
  private readonly recordTags: ElementTags;
  private readonly listTags: ElementTags;
  /** `</attrValue></attribute>` */
  private readonly attributeClose: string;
  private readonly templatesUseXsi: boolean;
  /** Reused for every lead. */
  private readonly record: LeadRecord = { Id: 0, Email: null, ForeignSysPersonId: null, ForeignSysType: null };
  // Scratch for one lead's attributes, sorted into schema order as they are found.
  private readonly found: AttributeSlot[] = [];
  private readonly values: unknown[] = [];
  /** The lead (stamp) in which each field (by order) was last found, to notice repeated keys. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  /** The field found at each key position of the last lead read. */
  private readonly recent: (AttributeSlot | undefined)[] = [];

  constructor(
    schema: LeadSchema,
    private readonly version: Version,
    private readonly include?: ReadonlySet<string>,
  ) {
    // The list is written here, after the fields the schema encoder writes: that needs it to be
    // the record's last field, optional (so that leaving it undefined leaves it out) and nillable.
    const fields = complexType('LeadRecord').fields.filter((f) => inVersion(f, version));
    const list = fields[fields.length - 1];
    const records = complexType('ArrayOfLeadRecord').fields.filter((f) => inVersion(f, version));
    if (
      list?.name !== 'leadAttributeList' ||
      list.type !== 'ArrayOfAttribute' ||
      !list.optional ||
      !list.nillable ||
      records.length !== 1 ||
      records[0].type !== 'LeadRecord'
    ) {
      throw new Error(`LeadRecordWriter does not fit the LeadRecord of version ${version}`);
    }
    this.recordTags = elementTags(records[0].name);
    this.listTags = elementTags(list.name);
    this.head = contentEncoder('LeadRecord', version);
    this.attributes = contentEncoder('ArrayOfAttribute', version);

    let usedXsi = false;
    let close: string | undefined;
    schema.attributeOrder.forEach((name, order) => {
      if (include && !include.has(name)) return;
      const type = schema.typeOf(name) ?? 'string';
      const st: EncodeState = { out: '', usedXsi: false };
      this.attributes({ attribute: [{ attrName: name, attrType: type, attrValue: HOLE }] }, st);
      const at = st.out.indexOf(HOLE);
      if (at < 0 || st.out.indexOf(HOLE, at + 1) >= 0) throw new Error(`no attribute template for ${name}`);
      const open = st.out.slice(0, at);
      const after = st.out.slice(at + HOLE.length);
      // Nothing of the attribute's name or type follows its value, so every attribute closes alike.
      if (close !== undefined && after !== close) throw new Error(`attribute ${name} closes differently`);
      close = after;
      usedXsi ||= st.usedXsi;
      this.slots.set(name, { order, name, type, open, closeOpen: '' });
    });
    this.attributeClose = close ?? '';
    for (const [name, slot] of this.slots)
      this.slots.set(name, { ...slot, closeOpen: this.attributeClose + slot.open });
    this.templatesUseXsi = usedXsi;
    this.seen = new Uint32Array(schema.attributeOrder.length);
  }

  /** The leadRecordList of a page (null when the page is empty). */
  recordList(leads: readonly PagedLead[]): ArrayOfLeadRecord | null {
    if (leads.length === 0) return null;
    const st: EncodeState = { out: '', usedXsi: false };
    // In pieces that stay small strings, so that a response written as bytes is never one large string.
    const pieces: string[] = [];
    for (const lead of leads) {
      this.write(lead, st);
      if (st.out.length >= PIECE_CHARS) {
        pieces.push(st.out);
        st.out = '';
      }
    }
    return preEncoded<ArrayOfLeadRecord>(st, this.version, pieces);
  }

  /** Appends one `<leadRecord>` element. */
  write(lead: PagedLead, st: EncodeState): void {
    const r = this.record;
    r.Id = lead.id;
    r.Email = this.include && !this.include.has('Email') ? null : lead.email;
    r.ForeignSysPersonId = lead.foreignSysPersonId;
    r.ForeignSysType = (lead.foreignSysType as LeadRecord['ForeignSysType']) ?? null;
    st.out += this.recordTags.open;
    this.head(r, st);
    this.writeAttributes(lead.attributesJson, st);
    st.out += this.recordTags.close;
  }

  private writeAttributes(json: string, st: EncodeState): void {
    // includes() is a fast search; one regex over these characters costs several times as much.
    let escaping = json.includes('&') || json.includes('<') || json.includes('>');
    let n = json.includes('\\') || CONTROL.test(json) ? -1 : this.scan(json);
    if (n < 0) {
      n = this.parse(json);
      escaping = true;
    }
    if (n === 0) {
      st.usedXsi = true;
      st.out += this.listTags.nil;
      return;
    }
    if (this.templatesUseXsi) st.usedXsi = true;
    const found = this.found;
    const vals = this.values;
    let out = st.out + this.listTags.open;
    // Whether an attribute's value is written and its close is not yet.
    let inside = false;
    for (let i = 0; i < n; i++) {
      const slot = found[i];
      const v = vals[i];
      vals[i] = undefined;
      if (typeof v === 'string') {
        out += (inside ? slot.closeOpen : slot.open) + (escaping ? escapeText(v) : v);
        inside = true;
      } else {
        // Anything but text (never stored, but possible in a hand-edited database) as the encoder writes it.
        if (inside) out += this.attributeClose;
        inside = false;
        st.out = out;
        this.attributes({ attribute: [{ attrName: slot.name, attrType: slot.type, attrValue: v }] }, st);
        out = st.out;
      }
    }
    if (inside) out += this.attributeClose;
    st.out = out + this.listTags.close;
  }

  /**
   * Collects the values to write from JSON as JSON.stringify writes an object of strings without
   * escapes (`{"Name":"value",…}`), in schema order; -1 for any other text. Key names are compared
   * with the field seen at the same place in the previous lead first: stored leads mostly share
   * their key order, and comparing costs less than hashing the key for the map.
   */
  private scan(json: string): number {
    const len = json.length;
    if (len < 2 || json.charCodeAt(0) !== LBRACE) return -1;
    if (json.charCodeAt(1) === RBRACE) return len === 2 ? 0 : -1;
    const found = this.found;
    const vals = this.values;
    const recent = this.recent;
    const seen = this.seen;
    // Wraps after 2^32 leads; a stale stamp would only send a lead to the parse path.
    this.stamp = (this.stamp + 1) >>> 0;
    const stamp = this.stamp;
    let n = 0;
    let k = 0;
    let p = 1; // the key's opening quote
    for (; ; k++) {
      if (json.charCodeAt(p) !== QUOTE) return -1;
      const ke = json.indexOf('"', p + 1);
      if (ke < 0 || json.charCodeAt(ke + 1) !== COLON || json.charCodeAt(ke + 2) !== QUOTE) return -1;
      const name = json.slice(p + 1, ke);
      let slot: AttributeSlot | undefined = recent[k];
      if (slot === undefined || slot.name !== name) {
        slot = this.slots.get(name);
        if (slot !== undefined) recent[k] = slot;
      }
      const vs = ke + 3; // the value's first character
      const ve = json.indexOf('"', vs);
      if (ve < 0) return -1;
      if (slot !== undefined) {
        // A repeated key: JSON.parse's reading (the last value wins, even an empty one) decides.
        if (seen[slot.order] === stamp) return -1;
        seen[slot.order] = stamp;
        if (ve > vs) insertInOrder(found, vals, n++, slot, json.slice(vs, ve));
      }
      const c = json.charCodeAt(ve + 1);
      if (c === COMMA) p = ve + 2;
      else return c === RBRACE && ve + 2 === len ? n : -1;
    }
  }

  /** Collects the values to write from any JSON object text, in schema order. */
  private parse(json: string): number {
    const values = JSON.parse(json) as Record<string, unknown> | null;
    // The general path reads fields of the parsed value, which fails for null alone.
    if (values === null) throw new TypeError('the stored attributes are null');
    const found = this.found;
    const vals = this.values;
    let n = 0;
    for (const name in values) {
      const slot = this.slots.get(name);
      if (slot === undefined) continue;
      const v = values[name];
      if (v === undefined || v === '') continue;
      insertInOrder(found, vals, n++, slot, v);
    }
    return n;
  }
}

const writers = new WeakMap<LeadSchema, Map<Version, LeadRecordWriter>>();

/** The writer for a schema and version; with `include`, a new one (include lists vary per call). */
export function leadRecordWriter(
  schema: LeadSchema,
  version: Version,
  include?: ReadonlySet<string>,
): LeadRecordWriter {
  if (include) return new LeadRecordWriter(schema, version, include);
  let byVersion = writers.get(schema);
  if (!byVersion) {
    byVersion = new Map();
    writers.set(schema, byVersion);
  }
  let w = byVersion.get(version);
  if (!w) {
    w = new LeadRecordWriter(schema, version);
    byVersion.set(version, w);
  }
  return w;
}
