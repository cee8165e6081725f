/**
 * Custom objects in the store: the declared types (key fields, link field, fields) and their
 * records, keyed by the values of the type's key fields. Domain-level reads and writes; the SQL
 * lives here once and takes the Kysely database or transaction it runs on.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CustomObjectTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface CustomObjectField {
  name: string;
  dataType: string;
}

export interface CustomObjectType {
  name: string;
  /** Key field names, in order (the link field, such as MKTOID, usually first). */
  keys: string[];
  fields: CustomObjectField[];
  /** The key field that holds a lead id (MKTOID), or null when the type links to no lead. */
  linkField: string | null;
}

export interface CustomObject {
  id: number;
  typeName: string;
  /** Values of the type's key fields, in the type's key order. */
  keyValues: string[];
  /** Field values by field name. */
  attributes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export type NewCustomObject = Omit<CustomObject, 'id'>;

export interface CustomObjectReader {
  /** A type by name, case-insensitively (Marketo answered "Roadshow" to "RoadShow"). */
  getCustomObjectType(name: string): Promise<CustomObjectType | undefined>;
  listCustomObjectTypes(): Promise<CustomObjectType[]>;
  findCustomObject(typeName: string, keyValues: readonly string[]): Promise<CustomObject | undefined>;
  /** Up to `limit` records of a type with id > afterId, in id order. */
  scanCustomObjects(typeName: string, afterId: number, limit: number): Promise<CustomObject[]>;
}

export interface CustomObjectStore extends CustomObjectReader {
  /** Sets (or clears) the link field of a declared type. */
  setCustomObjectLinkField(typeName: string, linkField: string | null): Promise<void>;
  insertCustomObject(o: NewCustomObject): Promise<CustomObject>;
  updateCustomObject(id: number, attributes: Record<string, string>, at: number): Promise<void>;
  deleteCustomObject(id: number): Promise<void>;
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toObject(r: Selectable<CustomObjectTable>): CustomObject {
  return {
    id: Number(r.id),
    typeName: r.type_name,
    keyValues: parseJson<string[]>(r.key_values, []),
    attributes: parseJson<Record<string, string>>(r.attributes, {}),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

export class SqlCustomObjects implements CustomObjectStore {
  constructor(private readonly db: Db) {}

  async listCustomObjectTypes(): Promise<CustomObjectType[]> {
    const rows = await this.db.selectFrom('custom_object_types').selectAll().orderBy('name').execute();
    return rows.map((r) => ({
      name: r.name,
      keys: parseJson<string[]>(r.keys, []),
      fields: parseJson<CustomObjectField[]>(r.fields, []),
      linkField: r.link_field,
    }));
  }

  async getCustomObjectType(name: string): Promise<CustomObjectType | undefined> {
    const all = await this.listCustomObjectTypes();
    return all.find((t) => t.name === name) ?? all.find((t) => t.name.toLowerCase() === name.trim().toLowerCase());
  }

  async findCustomObject(typeName: string, keyValues: readonly string[]): Promise<CustomObject | undefined> {
    const r = await this.db
      .selectFrom('custom_objects')
      .selectAll()
      .where('type_name', '=', typeName)
      .where('key_values', '=', JSON.stringify(keyValues))
      .executeTakeFirst();
    return r && toObject(r);
  }

  async scanCustomObjects(typeName: string, afterId: number, limit: number): Promise<CustomObject[]> {
    const rows = await this.db
      .selectFrom('custom_objects')
      .selectAll()
      .where('type_name', '=', typeName)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toObject);
  }

  async setCustomObjectLinkField(typeName: string, linkField: string | null): Promise<void> {
    await this.db
      .updateTable('custom_object_types')
      .set({ link_field: linkField })
      .where('name', '=', typeName)
      .execute();
  }

  async insertCustomObject(o: NewCustomObject): Promise<CustomObject> {
    const r = await this.db
      .insertInto('custom_objects')
      .values({
        type_name: o.typeName,
        key_values: JSON.stringify(o.keyValues),
        attributes: JSON.stringify(o.attributes),
        created_at: o.createdAt,
        updated_at: o.updatedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...o, id: Number(r.id) };
  }

  async updateCustomObject(id: number, attributes: Record<string, string>, at: number): Promise<void> {
    await this.db
      .updateTable('custom_objects')
      .set({ attributes: JSON.stringify(attributes), updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async deleteCustomObject(id: number): Promise<void> {
    await this.db.deleteFrom('custom_objects').where('id', '=', id).execute();
  }
}
