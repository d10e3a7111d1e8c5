import { Controller, Get, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-fastify/multipart';
import { ApiBody, type ApiBodyOptions, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { AppError } from '../../core/errors/app-error.js';
import { IdParam } from '../../core/http/id-param.js';
import { RequestContext } from '../../core/tenancy/request-context.js';
import { FilesService, type UploadedFile as Upload } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { RecordsService } from './records.service.js';

export class FileDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() size: number;
  @ApiProperty() contentType: string;
  @ApiProperty() createdAt: Date;

  static from(file: StoredFile): FileDto {
    return { id: file.id, name: file.name, size: file.size, contentType: file.contentType, createdAt: file.createdAt };
  }
}

export const UPLOAD_BODY: ApiBodyOptions = { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } };

/** Images a browser may show inline; everything else (HTML and SVG included) downloads, so no upload can run script here. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Uploads for file fields (attached when the record is saved) and their download. */
@ApiTags('files')
@Controller('files')
export class FilesController {
  constructor(private readonly files: FilesService, private readonly records: RecordsService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiCreatedResponse({ type: FileDto })
  async upload(@UploadedFile() file: Upload | undefined): Promise<FileDto> {
    if (!file) throw AppError.validation([{ path: 'file', message: 'Choose a file to upload' }]);
    const actor = RequestContext.requireActor();
    return FileDto.from(await this.files.upload(file, { tenantId: actor.tenantId, userId: actor.userId, formId: null }));
  }

  @Get(':id')
  @ApiOkResponse({ type: FileDto })
  async get(@IdParam() id: string): Promise<FileDto> {
    return FileDto.from(await this.visible(id));
  }

  @Get(':id/content')
  @ApiOkResponse({ description: 'The file itself' })
  async content(@IdParam() id: string, @Res({ passthrough: true }) response: FastifyReply): Promise<StreamableFile> {
    const file = await this.visible(id);
    const inline = INLINE_TYPES.has(file.contentType);
    void response.headers({
      'content-disposition': contentDisposition(file.name, { type: inline ? 'inline' : 'attachment' }),
      'content-type': inline ? file.contentType : 'application/octet-stream',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    return new StreamableFile(this.files.open(file), { length: file.size });
  }

  /** The uploader sees their file; once attached, whoever may open the record does. Others: 404. */
  private async visible(id: string): Promise<StoredFile> {
    const actor = RequestContext.requireActor();
    const file = await this.files.find(actor.tenantId, id);
    const allowed = file && ((actor.userId && file.uploadedBy === actor.userId) || (file.recordId && (await this.records.canOpen(actor, file.recordId))));
    if (!file || !allowed) throw AppError.notFound('The file');
    return file;
  }
}
