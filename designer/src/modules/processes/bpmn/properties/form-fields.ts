import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import type { FormField } from '../../../../api/processes';
import { is, type DiagramElement } from '../util';
import { useCatalog, useOpsflowModeling } from './controls';

/** The fields of the given published forms (their latest versions), loaded once per set of forms. */
export function useFormFields(formIds: readonly (string | null | undefined)[]): FormField[] {
  const catalog = useCatalog();
  const wanted = [...new Set(formIds.filter((formId): formId is string => !!formId))].sort();
  const key = wanted.join(',');
  const [fields, setFields] = useState<FormField[]>([]);
  useEffect(() => {
    let live = true;
    Promise.all(wanted.map((formId) => catalog.formFields(formId).catch(() => [] as FormField[])))
      .then((lists) => live && setFields(lists.flat()));
    return () => {
      live = false;
    };
  }, [key]);
  return fields;
}

/** The forms a process collects answers with: its start form and every user task's form. */
export function useProcessFormIds(): string[] {
  const catalog = useCatalog();
  const registry = useService<{ filter(fn: (element: DiagramElement) => boolean): DiagramElement[] }>('elementRegistry');
  const opsflow = useOpsflowModeling();
  return [catalog.startFormId(), ...registry.filter((element) => is(element, 'bpmn:UserTask')).map((task) => opsflow.formId(task))]
    .filter((formId): formId is string => !!formId);
}

/** A field's name as the admin knows it: its title, with the key when they differ. */
export function fieldTitle(field: FormField): string {
  return field.title && field.title !== field.path ? `${field.title} (${field.path})` : field.path;
}
