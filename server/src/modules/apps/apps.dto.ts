import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageDto } from '../../core/http/paging.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class AppDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ example: 'mdiAccountPlus' }) icon: string;
  @ApiProperty() formCount: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class AppPageDto extends PageDto(AppDto) {}

export class CreateAppDto {
  @ApiProperty() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ example: 'mdiAccountPlus', description: 'The name of an @mdi/js icon' })
  @IsOptional() @Matches(/^mdi[A-Z][A-Za-z0-9]{1,60}$/, { message: 'must be an @mdi/js icon name such as mdiAccountPlus' }) icon?: string;
}

export class UpdateAppDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^mdi[A-Z][A-Za-z0-9]{1,60}$/, { message: 'must be an @mdi/js icon name such as mdiAccountPlus' }) icon?: string;
}
