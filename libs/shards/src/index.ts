export * from './shard-format';
export * from './shard-io';
export * from './manifest';
