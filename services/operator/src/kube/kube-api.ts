/**
 * The few API calls the reconcilers make, over client-node's generic KubernetesObjectApi:
 * server-side apply for owned objects (idempotent by construction: applying the same intent
 * twice changes nothing), merge patches on custom resources and their status subresource,
 * and 404-tolerant reads and deletes.
 */
import * as k8s from '@kubernetes/client-node';
import { GROUP, VERSION } from '@crucible/crds';

export const FIELD_MANAGER = 'crucible-operator';

export const statusOf = (e: unknown): number | undefined => {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'number' ? c : undefined;
};

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

export class KubeApi {
  readonly objects: k8s.KubernetesObjectApi;
  readonly custom: k8s.CustomObjectsApi;
  readonly core: k8s.CoreV1Api;

  constructor(readonly kc: k8s.KubeConfig) {
    this.objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
  }

  /** Server-side apply with this operator as field manager (force: it owns these fields). */
  apply<T extends k8s.KubernetesObject>(obj: T): Promise<T> {
    return this.objects.patch(obj, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply);
  }

  async get<T extends k8s.KubernetesObject>(apiVersion: string, kind: string, namespace: string, name: string): Promise<T | undefined> {
    try {
      return await this.objects.read<T>({ apiVersion, kind, metadata: { name, namespace } } as Parameters<k8s.KubernetesObjectApi['read']>[0]);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async list<T extends k8s.KubernetesObject>(apiVersion: string, kind: string, namespace: string, labelSelector: string): Promise<T[]> {
    const list = await this.objects.list<T>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector);
    return list.items;
  }

  /** Deletes; returns false when it was already gone. */
  async delete(apiVersion: string, kind: string, namespace: string, name: string, propagationPolicy = 'Background'): Promise<boolean> {
    try {
      await this.objects.delete({ apiVersion, kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, propagationPolicy);
      return true;
    } catch (e) {
      if (statusOf(e) === 404) return false;
      throw e;
    }
  }

  async getCustom<T>(plural: string, namespace: string, name: string): Promise<T | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural, name })) as T;
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  /** JSON merge patch of a custom resource (metadata/spec); include resourceVersion for optimistic locking. */
  patchCustom<T>(plural: string, namespace: string, name: string, body: object): Promise<T> {
    return this.custom.patchNamespacedCustomObject(
      { group: GROUP, version: VERSION, namespace, plural, name, body, fieldManager: FIELD_MANAGER },
      mergePatch,
    ) as Promise<T>;
  }

  /** JSON merge patch of the status subresource. */
  patchCustomStatus<T>(plural: string, namespace: string, name: string, status: object): Promise<T> {
    return this.custom.patchNamespacedCustomObjectStatus(
      { group: GROUP, version: VERSION, namespace, plural, name, body: { status }, fieldManager: FIELD_MANAGER },
      mergePatch,
    ) as Promise<T>;
  }
}
