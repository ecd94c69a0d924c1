/** How values cross the dialect boundary, so repositories never branch on the dialect. */
export type Dialect = 'sqlite' | 'postgres';

export interface Codec {
  readonly dialect: Dialect;
  /** Column type of JSON documents and of timestamps, for migrations. */
  readonly jsonType: 'text' | 'jsonb';
  readonly timestampType: 'text' | 'timestamptz';
  readJson<T>(value: unknown): T;
  readTime(value: unknown): string;
}

const writeJson = (value: unknown): string => JSON.stringify(value ?? null);

export const encodeJson = writeJson;

export const sqliteCodec: Codec = {
  dialect: 'sqlite',
  jsonType: 'text',
  timestampType: 'text',
  readJson: <T>(value: unknown) => JSON.parse(String(value)) as T,
  readTime: (value) => String(value),
};

// node-postgres parses jsonb itself and returns Date for timestamptz.
export const postgresCodec: Codec = {
  dialect: 'postgres',
  jsonType: 'jsonb',
  timestampType: 'timestamptz',
  readJson: <T>(value: unknown) => value as T,
  readTime: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
};

export const readOptionalTime = (codec: Codec, value: unknown): string | null =>
  value === null || value === undefined ? null : codec.readTime(value);
