/** The SQL dialects the store's queries and migrations are written for. */
export type SqlFlavour = 'sqlite' | 'postgres';
