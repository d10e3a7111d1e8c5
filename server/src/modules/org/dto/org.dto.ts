import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class DepartmentDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ nullable: true, type: String }) headId: string | null;
  @ApiProperty() createdAt: Date;
}

export class DepartmentListDto {
  @ApiProperty({ type: [DepartmentDto], description: 'Every department, flat; parentId makes the tree' }) items: DepartmentDto[];
  @ApiProperty() total: number;
}

export class CreateDepartmentDto {
  @ApiProperty() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() parentId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() headId?: string | null;
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() parentId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID() headId?: string | null;
}

export class GroupDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [String] }) memberIds: string[];
  @ApiProperty() createdAt: Date;
}

export class GroupListDto {
  @ApiProperty({ type: [GroupDto] }) items: GroupDto[];
  @ApiProperty() total: number;
}

export class CreateGroupDto {
  @ApiProperty() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string;
}

export class UpdateGroupDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string;
}

export class GroupMembersDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(5000) @IsUUID('all', { each: true }) userIds: string[];
}
