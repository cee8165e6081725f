/** Custom object types and records in SQL (store/custom-object-store.ts). */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  CustomObject,
  CustomObjectField,
  CustomObjectStore,
  CustomObjectType,
  NewCustomObject,
} from '../custom-object-store.js';
import type { CustomObjectTypeInput } from '../store.js';
import type { CustomObjectTable, Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

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

  /** Declares a custom object type, or redefines its keys and fields (the seed). */
  async upsertCustomObjectType(t: CustomObjectTypeInput): Promise<void> {
    const values = { keys: JSON.stringify(t.keys), fields: JSON.stringify(t.fields) };
    await this.db
      .insertInto('custom_object_types')
      .values({ name: t.name, ...values })
      .onConflict((oc) => oc.column('name').doUpdateSet(values))
      .execute();
  }
}
