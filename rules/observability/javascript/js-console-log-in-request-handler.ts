import { Controller, Get, Logger } from '@nestjs/common';

@Controller('cats')
export class CatsController {
  private readonly logger = new Logger(CatsController.name);

  @Get()
  findAll(): string[] {
    // ruleid: js-console-log-in-request-handler
    console.log('findAll called');
    // ok: js-console-log-in-request-handler
    this.logger.log('findAll called');
    return [];
  }
}

export async function GET(request: Request): Promise<Response> {
  // ruleid: js-console-log-in-request-handler
  console.debug('GET /api/items', request.url);
  return Response.json([]);
}

export class CatsService {
  findAll(): string[] {
    // ok: js-console-log-in-request-handler
    console.log('service');
    return [];
  }
}
