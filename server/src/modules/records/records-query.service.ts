import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { AppError } from '../../core/errors/app-error.js';
import { type Page, pageOf, skipTake } from '../../core/http/paging.js';
import { type Actor, RequestContext } from '../../core/tenancy/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { canViewAllRecords, hiddenFieldsFor } from '../forms/form-access.js';
import type { FormSettings } from '../forms/form-definition.js';
import { type FormField, listFields } from '../forms/form-fields.js';
import type { FormVersion } from '../forms/form.entity.js';
import { findRecordPage, recordsQuery } from './record-page.js';
import { type CompiledRecordQuery, compileRecordQuery, sqlDialectOf } from './record-query.js';
import type { RecordDto } from './records.dto.js';
import { RecordsService } from './records.service.js';

const EXPORT_MAX_ROWS = 100_000;
const EXPORT_BATCH = 1000;

export interface RecordListQuery {
  filter?: string;
  sort?: string;
  q?: string;
}

/** Cells a spreadsheet would run as a formula start like this; they are exported with a leading quote. */
const FORMULA_START = /^[=+\-@\t\r]/;

const PLAIN_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

export function escapeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Lists and exports the records of a form for people who may see them all, with the filter/sort/search DSL. */
@Injectable()
export class RecordsQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordsService,
    private readonly audit: AuditService,
  ) {}

  async list(formId: string, query: RecordListQuery & { page: number; pageSize: number }): Promise<Page<RecordDto>> {
    const { actor, compiled, hidden, version } = await this.query(formId, query);
    const { skip, take } = skipTake(query);
    const { total, records } = await findRecordPage(this.dataSource, {
      tenantId: actor.tenantId, formId, indexedFields: listFields(version.schema), query: compiled, offset: skip, limit: take,
    });
    const names = await this.records.names(actor.tenantId, records);
    return pageOf(records.map((record) => this.records.toDto(record, names, hidden)), total, query);
  }

  /** The whole result of a query (up to 100,000 rows) as CSV or XLSX, formula-looking cells escaped. */
  async export(formId: string, query: RecordListQuery, format: 'csv' | 'xlsx'): Promise<{ filename: string; contentType: string; body: Buffer }> {
    const { actor, compiled, hidden, version, name } = await this.query(formId, query);
    const qb = recordsQuery(this.dataSource, { tenantId: actor.tenantId, formId, query: compiled });
    const columns = exportColumns(listFields(version.schema), hidden);
    const header = ['id', 'createdAt', 'submittedBy', 'formVersion', ...columns.map((c) => c.title ?? c.path)];
    const rows: string[][] = [];
    for (let offset = 0; offset < EXPORT_MAX_ROWS; offset += EXPORT_BATCH) {
      const batch = await qb.clone().offset(offset).limit(EXPORT_BATCH).getMany();
      const names = await this.records.names(actor.tenantId, batch);
      for (const record of batch) {
        rows.push([
          record.id, record.createdAt.toISOString(), record.submittedBy ? names.get(record.submittedBy) ?? record.submittedBy : '', String(record.formVersion),
          ...columns.map((column) => cellText(valueAt(record.data, column.path))),
        ].map(escapeCell));
      }
      if (batch.length < EXPORT_BATCH) break;
    }
    await this.audit.record({ action: 'record.exported', targetType: 'form', targetId: formId, data: { format, rows: rows.length, filter: query.filter ?? null, q: query.q ?? null } });
    const base = safeFilename(name);
    if (format === 'csv') {
      // A byte-order mark makes Excel read UTF-8 (Chinese text) correctly.
      const body = Buffer.concat([Buffer.from('\uFEFF'), Buffer.from(stringify([header.map(escapeCell), ...rows]))]);
      return { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body };
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Records');
    sheet.addRow(header.map(escapeCell));
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
    return {
      filename: `${base}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: Buffer.from(await workbook.xlsx.writeBuffer()),
    };
  }

  private async query(formId: string, query: RecordListQuery): Promise<{
    actor: Actor; compiled: CompiledRecordQuery; hidden: string[]; version: FormVersion; name: string; settings: FormSettings;
  }> {
    const actor = RequestContext.requireActor();
    const { form, version, settings } = await this.records.viewSettings(actor.tenantId, formId);
    if (!canViewAllRecords(settings, actor)) throw AppError.forbidden('You may not see the records of this form');
    const hidden = hiddenFieldsFor(settings, actor);
    // Hidden fields cannot be filtered or sorted on either: their values would leak through the results.
    const fields = listFields(version.schema).filter((field) => !hidden.some((h) => field.path === h || field.path.startsWith(`${h}.`)));
    const compiled = compileRecordQuery(sqlDialectOf(this.dataSource), fields, { filter: query.filter, sort: query.sort, q: query.q });
    return { actor, compiled, hidden, version, name: form.name, settings };
  }
}

/** Leaf fields in schema order; objects are represented by their own fields. */
function exportColumns(fields: FormField[], hidden: readonly string[]): FormField[] {
  return fields.filter((f) => f.type !== 'object' && !hidden.some((h) => f.path === h || f.path.startsWith(`${h}.`)));
}

function valueAt(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const key of path.split('.')) value = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => (item && typeof item === 'object' ? JSON.stringify(item) : String(item))).join('; ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function safeFilename(name: string): string {
  return name.replace(/[^\p{L}\p{N} _-]+/gu, '').trim().slice(0, 80) || 'records';
}
