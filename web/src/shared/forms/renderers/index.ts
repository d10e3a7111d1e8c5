import {
  and, isControl, isNumberControl, optionIs, rankWith, type JsonFormsRendererRegistryEntry, type Tester, type UISchemaElement,
} from '@jsonforms/core';
import CalculatedControl from './CalculatedControl.vue';
import DepartmentPickerControl from './DepartmentPickerControl.vue';
import FileUploadControl from './FileUploadControl.vue';
import MoneyControl from './MoneyControl.vue';
import NumberControl from './NumberControl.vue';
import PhoneControl from './PhoneControl.vue';
import RatingControl from './RatingControl.vue';
import RichTextControl from './RichTextControl.vue';
import SignatureControl from './SignatureControl.vue';
import UserPickerControl from './UserPickerControl.vue';

/** Above every vue-vuetify renderer (they rank up to about 5). */
const RANK = 10;

const widget = (name: string): Tester => and(isControl, optionIs('widget', name));
const hasCalculation: Tester = (uischema: UISchemaElement) =>
  isControl(uischema) && typeof uischema.options?.calculate === 'string' && uischema.options.calculate.trim() !== '';

/** Opsflow's own field types, registered exactly like the vue-vuetify renderers. */
export const opsflowRendererEntries: JsonFormsRendererRegistryEntry[] = [
  { renderer: CalculatedControl, tester: rankWith(RANK + 1, hasCalculation) },
  { renderer: RatingControl, tester: rankWith(RANK, widget('rating')) },
  { renderer: MoneyControl, tester: rankWith(RANK, widget('money')) },
  { renderer: UserPickerControl, tester: rankWith(RANK, widget('user')) },
  { renderer: DepartmentPickerControl, tester: rankWith(RANK, widget('department')) },
  { renderer: PhoneControl, tester: rankWith(RANK, widget('phone')) },
  { renderer: RichTextControl, tester: rankWith(RANK, widget('richtext')) },
  { renderer: SignatureControl, tester: rankWith(RANK, widget('signature')) },
  { renderer: FileUploadControl, tester: rankWith(RANK, widget('file')) },
  // over vue-vuetify's number field (rank 1), under every widget
  { renderer: NumberControl, tester: rankWith(2, isNumberControl) },
];

export {
  CalculatedControl, DepartmentPickerControl, FileUploadControl, MoneyControl, NumberControl, PhoneControl, RatingControl, RichTextControl, SignatureControl,
  UserPickerControl,
};
