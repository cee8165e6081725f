/**
 * Custom objects in the store: the declared types (key fields, link field, fields) and their
 * records, keyed by the values of the type's key fields.
 */

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
