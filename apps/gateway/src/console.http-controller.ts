import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '@weaver/errors';
import { ConsoleAssets } from './console-assets';

/**
 * Only the console's own files, scripts and styles, and calls to this origin: the page holds
 * the API key (sessionStorage), so nothing inline, nothing from elsewhere, no framing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The web console (docs/console.md) at /console/: static files only; everything it shows comes
 * from the REST API, called by the page with the credentials its user pasted. Public like
 * /health (no data here), so it carries no GatewayPolicyGuard (gateway-access.table.spec.ts
 * lists it as public).
 */
@Controller('console')
export class ConsoleHttpController {
  constructor(@Inject(ConsoleAssets) private readonly assets: ConsoleAssets) {}

  /** `/console` → `/console/`, so the page's relative module URLs resolve below it. */
  @Get()
  page(@Res() reply: FastifyReply): void {
    void reply.redirect('/console/', 302);
  }

  @Get('*')
  file(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const path = (req.url.split('?')[0] ?? '').slice('/console/'.length);
    const asset = this.assets.get(path);
    if (!asset) throw new NotFoundError('console file', path);
    void reply
      .header('content-type', asset.contentType)
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      // Revalidated on every load: an upgraded gateway serves its own console at once.
      .header('cache-control', 'no-cache')
      .send(asset.body);
  }
}
