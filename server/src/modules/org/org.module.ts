import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Department } from './department.entity.js';
import { DepartmentsController } from './departments.controller.js';
import { DepartmentsService } from './departments.service.js';
import { Group, GroupMember } from './group.entity.js';
import { GroupsController } from './groups.controller.js';
import { GroupsService } from './groups.service.js';
import { OrgRoutingService } from './org-routing.service.js';
import { User } from './user.entity.js';
import { UsersImportService } from './users-import.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

/** People, departments and groups: the org chart approval routing resolves against. */
@Module({
  imports: [TypeOrmModule.forFeature([User, Department, Group, GroupMember])],
  controllers: [UsersController, DepartmentsController, GroupsController],
  providers: [UsersService, UsersImportService, DepartmentsService, GroupsService, OrgRoutingService],
  exports: [UsersService, DepartmentsService, OrgRoutingService],
})
export class OrgModule {}
