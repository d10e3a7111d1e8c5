import { reactive } from 'vue';
import { directoryApi } from '../../../shared';

const asked = new Map<string, Promise<string | null>>();

/**
 * People's names by user id, asked once per id and page load; `name(id)` is null until known
 * (and stays null for someone the API does not show, such as a deleted user).
 */
export function useUserNames() {
  const names = reactive(new Map<string, string | null>());

  function want(userId: string | null | undefined): void {
    if (!userId || names.has(userId)) return;
    names.set(userId, null);
    let answer = asked.get(userId);
    if (!answer) {
      answer = directoryApi.user(userId).then((user) => user.name).catch(() => null);
      asked.set(userId, answer);
    }
    void answer.then((name) => names.set(userId, name));
  }

  function name(userId: string | null | undefined): string | null {
    if (!userId) return null;
    want(userId);
    return names.get(userId) ?? null;
  }

  return { name, want };
}
