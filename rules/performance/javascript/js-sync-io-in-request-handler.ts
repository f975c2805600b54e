import { Controller, Get, Param } from '@nestjs/common';
import * as fs from 'fs';
import { scryptSync } from 'crypto';

@Controller('files')
export class FilesController {
  @Get(':name')
  read(@Param('name') name: string): string {
    // ruleid: js-sync-io-in-request-handler
    return fs.readFileSync(`/srv/files/${name}`, 'utf8');
  }
}

export async function POST(request: Request): Promise<Response> {
  const { password } = await request.json();
  // ruleid: js-sync-io-in-request-handler
  const hash = scryptSync(password, 'salt', 64);
  return Response.json({ ok: hash.length > 0 });
}

export function loadAtStartup(): string {
  // ok: js-sync-io-in-request-handler
  return fs.readFileSync('/etc/app/config.json', 'utf8');
}
