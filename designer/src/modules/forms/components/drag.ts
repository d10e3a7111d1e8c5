import { canContain } from '../model/palette';
import type { ElementKind } from '../model/types';

export const DRAG_GROUP = 'form-elements';

/** SortableJS `group.put` for a list inside `parentKind`: refuse drops the model would refuse anyway. */
export function putCheck(parentKind: ElementKind | null) {
  return (_to: unknown, _from: unknown, dragged: HTMLElement): boolean => {
    const kind = dragged.dataset.kind as ElementKind | undefined;
    return !!kind && canContain(parentKind, kind);
  };
}
