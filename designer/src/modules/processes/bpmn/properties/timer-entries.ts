import { h, type ComponentChild } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import {
  isoToLocal, localToIso, parseCycle, parseIsoDuration, toCycle, toIsoDuration, type DurationParts, type TimerKind,
} from '../../model/duration';
import { is, type DiagramElement } from '../util';
import { button, description, entry, label, select, textInput, useCatalog, useOpsflowModeling } from './controls';

interface EntryProps {
  element: DiagramElement;
  id: string;
}

/** Which timers make sense where: a start event may repeat; a boundary may repeat only when it does not interrupt. */
function kindsFor(element: DiagramElement): TimerKind[] {
  if (is(element, 'bpmn:StartEvent')) return ['date', 'cycle', 'duration'];
  if (is(element, 'bpmn:BoundaryEvent') && element.businessObject.get('cancelActivity') === false) return ['duration', 'date', 'cycle'];
  return ['duration', 'date'];
}

function parts(id: string, value: DurationParts, onChange: (value: DurationParts) => void, t: (key: string) => string): ComponentChild {
  const field = (unit: keyof DurationParts) => h('label', { class: 'opsflow-duration-part' }, [
    textInput({ id: `${id}-${unit}`, type: 'number', min: 0, step: '1', value: value[unit] ? String(value[unit]) : '', placeholder: '0',
      ariaLabel: t(`processDesigner.units.${unit}`), onCommit: (text) => onChange({ ...value, [unit]: Math.max(0, Math.floor(Number(text) || 0)) }) }),
    h('span', null, t(`processDesigner.units.${unit}`)),
  ]);
  return h('div', { class: 'opsflow-duration', 'data-test': id }, [field('days'), field('hours'), field('minutes')]);
}

export function TimerEntry({ element, id }: EntryProps): ComponentChild {
  const catalog = useCatalog();
  const opsflow = useOpsflowModeling();
  const t = catalog.t;
  const stored = opsflow.timer(element);
  const kinds = kindsFor(element);
  const [kind, setKind] = useState<TimerKind>(stored?.kind ?? kinds[0]);
  useEffect(() => setKind(stored?.kind ?? kinds[0]), [element.id, stored?.kind]);
  const value = stored && stored.kind === kind ? stored.value : '';
  const write = (text: string) => opsflow.setTimer(element, kind, text);

  const controls: ComponentChild[] = [
    label(id, t('processDesigner.timer.kind')),
    select({ id, value: kind, options: kinds.map((k) => ({ value: k, label: t(`processDesigner.timer.kinds.${k}`) })), onChange: (next) => setKind(next as TimerKind) }),
  ];
  const custom = value !== '' && (
    (kind === 'duration' && !parseIsoDuration(value)) || (kind === 'cycle' && !parseCycle(value)) || (kind === 'date' && !isoToLocal(value)));
  if (custom) {
    controls.push(label(`${id}-raw`, t('processDesigner.timer.expression')));
    controls.push(textInput({ id: `${id}-raw`, value, monospace: true, onCommit: write }));
    controls.push(button({ text: t('processDesigner.props.clear'), onClick: () => write('') }));
  } else if (kind === 'duration') {
    controls.push(label(`${id}-days`, t('processDesigner.timer.after')));
    controls.push(parts(id, parseIsoDuration(value) ?? { days: 0, hours: 0, minutes: 0 }, (next) => write(toIsoDuration(next)), t));
  } else if (kind === 'date') {
    controls.push(label(`${id}-date`, t('processDesigner.timer.at')));
    controls.push(textInput({ id: `${id}-date`, type: 'datetime-local', value: isoToLocal(value), onCommit: (local) => write(localToIso(local)) }));
  } else {
    const cycle = parseCycle(value) ?? { repetitions: 0, every: { days: 1, hours: 0, minutes: 0 } };
    controls.push(label(`${id}-days`, t('processDesigner.timer.every')));
    controls.push(parts(id, cycle.every, (every) => write(toCycle({ ...cycle, every })), t));
    controls.push(label(`${id}-repetitions`, t('processDesigner.timer.repetitions')));
    controls.push(textInput({ id: `${id}-repetitions`, type: 'number', min: 0, step: '1', value: cycle.repetitions ? String(cycle.repetitions) : '',
      placeholder: '∞', onCommit: (text) => write(toCycle({ ...cycle, repetitions: Math.max(0, Math.floor(Number(text) || 0)) })) }));
  }
  controls.push(description(value ? t('processDesigner.timer.current', { value }) : t('processDesigner.timer.unset')));
  return entry(id, controls);
}
