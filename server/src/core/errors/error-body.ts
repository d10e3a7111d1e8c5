import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorDetailDto {
  @ApiProperty({ example: 'email' }) path: string;
  @ApiProperty({ example: 'must be an email' }) message: string;
  @ApiPropertyOptional({ example: 'missing_condition' }) code?: string;
}

/** What every error response looks like. */
export class ErrorBodyDto {
  @ApiProperty({ example: 'validation_failed' }) code: string;
  @ApiProperty({ example: 'Some fields are not valid' }) message: string;
  @ApiPropertyOptional({ type: [ErrorDetailDto] }) details?: ErrorDetailDto[];
}
