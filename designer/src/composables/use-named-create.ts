import { clearFieldErrors, useErrorHandler, useFieldErrors } from '@opsflow/web/shared';
import { ref } from 'vue';

/**
 * "New … (name)" for a `form-dialog`: `start()` opens it empty; `submit()` runs `create(name)`, closes the dialog and
 * hands the created item to `created` (usually: open it); the server's 422 lands on the name field.
 */
export function useNamedCreate<T>(create: (name: string) => Promise<T>, created: (item: T) => unknown) {
  const errors = useErrorHandler();
  const fields = useFieldErrors();
  const open = ref(false);
  const name = ref('');
  const creating = ref(false);

  function start(): void {
    name.value = '';
    clearFieldErrors(fields);
    open.value = true;
  }

  async function submit(): Promise<void> {
    if (!name.value.trim()) return;
    creating.value = true;
    try {
      const item = await create(name.value.trim());
      open.value = false;
      await created(item);
    } catch (e) {
      errors.handle(e, { fields, knownFields: ['name'] });
    } finally {
      creating.value = false;
    }
  }

  return { fields, open, name, creating, start, submit };
}
