/** `namespace/name` keys of the work queue, as client-go's MetaNamespaceKeyFunc writes them. */
export interface ObjectKey {
  namespace: string;
  name: string;
}

export const keyOf = (o: ObjectKey): string => `${o.namespace}/${o.name}`;

export function parseKey(key: string): ObjectKey {
  const slash = key.indexOf('/');
  if (slash <= 0) throw new Error(`not a namespace/name key: ${key}`);
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
