import {
  appsCreate, appsGet, appsList, appsRemove, appsUpdate, formsCreate, formsGet, formsList, formsPublish, formsRemove,
  formsUpdate, formsVersions,
  type AppDto as GeneratedApp, type CreateAppDto, type FormDto as GeneratedForm, type FormSummaryDto as GeneratedFormSummary,
  type FormVersionDto as GeneratedFormVersion, type FormVersionSummaryDto, type UpdateAppDto,
} from '@opsflow/plugin-sdk';
import type { FormSettings, JsonSchema, UiSchema } from '../modules/forms/model/types';

// Apps and forms, through the generated client only.

export type AppDto = GeneratedApp;
export type AppInput = CreateAppDto;
export type FormSummaryDto = GeneratedFormSummary;
export type FormVersionSummary = FormVersionSummaryDto;
/** The generated form with its JSON typed as the designer reads it (still checked when it is read). */
export type FormDto = Omit<GeneratedForm, 'schema' | 'uischema' | 'settings'> & {
  schema: JsonSchema;
  uischema: UiSchema;
  settings: FormSettings;
};
export type FormVersionDto = GeneratedFormVersion;
export interface FormChange {
  name?: string;
  schema?: JsonSchema;
  uischema?: UiSchema;
  settings?: FormSettings;
}

const asForm = (form: GeneratedForm): FormDto => form as unknown as FormDto;

export const appsApi = {
  list: async (page = 1, pageSize = 100) => (await appsList({ query: { page, pageSize } })).data,
  get: async (id: string) => (await appsGet({ path: { id } })).data,
  create: async (body: AppInput) => (await appsCreate({ body })).data,
  update: async (id: string, body: UpdateAppDto) => (await appsUpdate({ path: { id }, body })).data,
  remove: async (id: string): Promise<void> => {
    await appsRemove({ path: { id } });
  },
};

export const formsApi = {
  list: async (appId: string, page = 1, pageSize = 100) => (await formsList({ query: { appId, page, pageSize } })).data,
  get: async (id: string) => asForm((await formsGet({ path: { id } })).data),
  create: async (body: { appId: string; name: string }) => asForm((await formsCreate({ body })).data),
  update: async (id: string, body: FormChange) => asForm((await formsUpdate({ path: { id }, body })).data),
  remove: async (id: string): Promise<void> => {
    await formsRemove({ path: { id } });
  },
  publish: async (id: string) => (await formsPublish({ path: { id } })).data,
  versions: async (id: string) => (await formsVersions({ path: { id } })).data,
};
