import { Inject, type LoggerService } from '@nestjs/common';
import { FRAMEWORK_LINE, type Logger } from '@weaver/observability';

/** Injection token of the service's pino logger: `@InjectLogger() log: Logger`. */
export const PINO_LOGGER = Symbol('weaver.pino-logger');
export const InjectLogger = (): ParameterDecorator => Inject(PINO_LOGGER);

/**
 * Nest's own logging (module init, route mapping, errors) through the service's pino logger,
 * so every line of a service is one JSON object with the same `service` field.
 * Nest passes the context (class name) as the last optional parameter.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string | symbol, unknown> = context ? { context } : {};
    // Nest's own bookkeeping (module init, routes) carries no data; its warnings and errors may.
    if (level === 'info' || level === 'debug' || level === 'trace') fields[FRAMEWORK_LINE] = true;
    // Nest's error() passes the stack as the first extra parameter.
    if (level === 'error' && typeof params[0] === 'string') fields['stack'] = params[0];
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') this.pino[level](fields, message);
    else this.pino[level]({ ...fields, data: message }, 'log');
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }
}
