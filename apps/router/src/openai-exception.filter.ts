import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { openAiErrorOf } from '@weaver/model-router';
import type { Logger } from '@weaver/observability';
import { InjectLogger } from '@weaver/service-kit';
import type { FastifyReply } from 'fastify';

/**
 * Errors of the OpenAI-compatible routes in OpenAI's shape (`{ error: { message, type, param,
 * code } }`), so OpenAI's clients raise their usual error classes; the rest of the service keeps
 * Weaver's shape (WeaverExceptionFilter). Server-side failures are logged under the id the message names.
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const correlationId = randomUUID();
    const { status, body, headers, internal } = openAiErrorOf(exception, correlationId);
    if (internal) this.log.error({ err: exception, correlationId }, 'OpenAI-compatible route failed');
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(status).headers(headers).type('application/json').send(body);
  }
}
