import { useErrorHandler } from '@opsflow/web/shared';
import { ref, shallowRef } from 'vue';

/**
 * A delete that asks first, for a `confirm-dialog`: `ask(item)` opens it; `confirm()` runs `remove(item)`, closes
 * the dialog, then runs `afterClose` (a reload); a failure closes the dialog and is reported.
 */
export function useConfirmedDelete<T>(remove: (item: T) => Promise<void>, afterClose?: () => Promise<void>) {
  const errors = useErrorHandler();
  const pending = shallowRef<T | null>(null);
  const confirmOpen = ref(false);
  const removing = ref(false);

  function ask(item: T): void {
    pending.value = item;
    confirmOpen.value = true;
  }

  async function confirm(): Promise<void> {
    const item = pending.value;
    if (item === null) return;
    removing.value = true;
    try {
      await remove(item);
      confirmOpen.value = false;
      await afterClose?.();
    } catch (e) {
      confirmOpen.value = false;
      errors.handle(e);
    } finally {
      removing.value = false;
    }
  }

  return { pending, confirmOpen, removing, ask, confirm };
}
