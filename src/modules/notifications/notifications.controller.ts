import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@app/common/http/openapi-errors';
import { ProjectsService } from '@app/modules/projects/projects.service';
import { DeliveriesPageDto, DeliveriesQueryDto } from './dto/deliveries.dto';
import { NotificationSettingsDto, PutNotificationsDto } from './dto/notification-settings.dto';
import { DeleteNotificationsUseCase } from './use-cases/delete-notifications.use-case';
import { GetNotificationsUseCase } from './use-cases/get-notifications.use-case';
import { ListDeliveriesUseCase } from './use-cases/list-deliveries.use-case';
import { PutNotificationsUseCase } from './use-cases/put-notifications.use-case';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/projects/:key/notifications')
export class NotificationsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly putSettings: PutNotificationsUseCase,
    private readonly getSettings: GetNotificationsUseCase,
    private readonly deleteSettings: DeleteNotificationsUseCase,
    private readonly listDeliveries: ListDeliveriesUseCase,
  ) {}

  /** Where the project's changes are POSTed, signed with the secret. A new receiver hears of changes from now on. */
  @Put()
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(400, 404)
  async put(@Param('key') key: string, @Body() dto: PutNotificationsDto): Promise<NotificationSettingsDto> {
    const project = await this.projects.getByKey(key);
    return this.putSettings.execute(project.id, dto);
  }

  @Get()
  @ApiOkResponse({ type: NotificationSettingsDto })
  @ApiErrors(404)
  async get(@Param('key') key: string): Promise<NotificationSettingsDto> {
    const project = await this.projects.getByKey(key);
    return this.getSettings.execute(project.id);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed: nothing more is sent' })
  @ApiErrors(404)
  async remove(@Param('key') key: string): Promise<void> {
    const project = await this.projects.getByKey(key);
    await this.deleteSettings.execute(project.id);
  }

  /** Every attempt to deliver an event, newest first. */
  @Get('deliveries')
  @ApiOkResponse({ type: DeliveriesPageDto })
  @ApiErrors(400, 404)
  async deliveries(@Param('key') key: string, @Query() q: DeliveriesQueryDto): Promise<DeliveriesPageDto> {
    const project = await this.projects.getByKey(key);
    return this.listDeliveries.execute(project.id, project.key, q.before, q.limit);
  }
}
