import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { AppError, type ErrorDetail } from '../../core/errors/app-error.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { canViewAllRecords } from '../forms/form-access.js';
import { type FormField, listFields } from '../forms/form-fields.js';
import type { RecordData } from './record.entity.js';
import { RecordsService } from './records.service.js';

const MAX_ROWS = 10_000;
const TRUE = new Set(['true', 'yes', 'y', '1', '是', '对']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '不']);

/**
 * Imports records from CSV into the latest version of a form: each row is validated like a
 * submission, every bad cell is reported as `rows[N].<field>`, and nothing is written unless all rows pass.
 */
@Injectable()
export class RecordsImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordsService,
    private readonly audit: AuditService,
  ) {}

  async import(formId: string, csv: string): Promise<number> {
    const actor = RequestContext.requireActor();
    const { form, version, settings } = await this.records.viewSettings(actor.tenantId, formId);
    if (!canViewAllRecords(settings, actor)) throw AppError.forbidden('You may not add records to this form by import');
    const fields = listFields(version.schema).filter((f) => f.type !== 'object');
    const rows = parseRows(csv, fields);
    const errors: ErrorDetail[] = [];
    const prepared: RecordData[] = [];
    rows.forEach((row, i) => {
      const prefix = `rows[${i + 1}]`;
      const { data, problems } = toData(row, fields, prefix);
      errors.push(...problems);
      if (problems.length) return;
      try {
        prepared.push(this.records.prepare(version, data, prefix));
      } catch (error) {
        if (error instanceof AppError && error.details) errors.push(...error.details);
        else throw error;
      }
    });
    if (errors.length) {
      const badRows = new Set(errors.map((e) => e.path.split('.')[0])).size;
      throw new AppError(422, 'import_failed', `${badRows} row(s) have errors; nothing was imported`, errors.slice(0, 500));
    }
    await this.dataSource.transaction(async (manager) => {
      for (const data of prepared) await this.records.create(form, version, data, { actor, viaPublicLink: false }, manager);
      await this.audit.record({ action: 'record.imported', targetType: 'form', targetId: formId, data: { count: prepared.length } }, manager);
    });
    return prepared.length;
  }
}

function parseRows(csv: string, fields: FormField[]): Array<Record<string, string>> {
  const byName = new Map<string, string>();
  for (const field of fields) {
    byName.set(field.path.toLowerCase(), field.path);
    if (field.title) byName.set(field.title.trim().toLowerCase(), field.path);
  }
  let records: Array<Record<string, string>>;
  const unknown: string[] = [];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => {
        const path = byName.get(h.trim().toLowerCase());
        if (!path) unknown.push(h);
        return path ?? h;
      }),
      skip_empty_lines: true, trim: true, bom: true, to: MAX_ROWS + 1,
    });
  } catch (error) {
    throw AppError.validation([{ path: 'csv', message: `The CSV could not be read: ${error instanceof Error ? error.message : String(error)}` }]);
  }
  if (unknown.length) throw AppError.validation([{ path: 'csv', message: `These columns are not fields of the form: ${unknown.join(', ')}` }]);
  if (!records.length) throw AppError.validation([{ path: 'csv', message: 'The CSV has no rows under its header' }]);
  if (records.length > MAX_ROWS) throw AppError.validation([{ path: 'csv', message: `At most ${MAX_ROWS} rows can be imported at once` }]);
  return records;
}

/** Turns one CSV row's text cells into typed answers; empty cells stay unanswered. */
function toData(row: Record<string, string>, fields: FormField[], prefix: string): { data: RecordData; problems: ErrorDetail[] } {
  const data: RecordData = {};
  const problems: ErrorDetail[] = [];
  for (const field of fields) {
    const text = row[field.path];
    if (text === undefined || text === '') continue;
    const value = convert(text, field.type, field.itemType);
    if (value === undefined) {
      problems.push({ path: `${prefix}.${field.path}`, message: `"${text.slice(0, 50)}" is not a ${field.type}` });
      continue;
    }
    const keys = field.path.split('.');
    let target = data;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as RecordData;
    target[keys[keys.length - 1]] = value;
  }
  return { data, problems };
}

function convert(text: string, type: FormField['type'], itemType?: FormField['type']): unknown {
  switch (type) {
    case 'number':
    case 'integer': {
      const value = Number(text.replace(/,/g, ''));
      return Number.isFinite(value) ? value : undefined;
    }
    case 'boolean':
      return TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : undefined;
    case 'array':
      if (itemType === 'object') {
        try {
          const parsed: unknown = JSON.parse(text);
          return Array.isArray(parsed) ? parsed : undefined;
        } catch {
          return undefined;
        }
      }
      return text.split(';').map((item) => item.trim()).filter(Boolean).map((item) => convert(item, itemType ?? 'string'));
    default:
      return text;
  }
}
