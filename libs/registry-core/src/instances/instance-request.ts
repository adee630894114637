import { z } from 'zod';
import { ValidationError } from '@weaver/errors';
import { violationsOf } from '@weaver/config';
import { AGENT_NAME } from '../definitions/agent-definition';
import { parseSemVer, SEMVER_RULE } from '../definitions/semver';

/** Instance ids travel in logs, metrics labels and URLs: a small, safe alphabet. */
export const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const INSTANCE_ID_RULE = 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit';
/** Kafka's own limit on topic names. */
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;

const instanceId = z.string({ error: 'is required' }).regex(INSTANCE_ID, INSTANCE_ID_RULE);

const registerSchema = z.object({
  agent: z.string({ error: 'is required' }).regex(AGENT_NAME, 'must name a registered agent (lower-case letters, digits and "-")'),
  agentVersion: z.string().refine((v) => parseSemVer(v) !== undefined, SEMVER_RULE).optional(),
  instanceId: instanceId.optional(),
  host: z.string().max(255, 'must be at most 255 characters').default(''),
  pid: z.number().int('must be an integer').min(0, 'must be >= 0').default(0),
});

const partition = z.object({
  topic: z.string({ error: 'is required' }).regex(TOPIC, 'must be a Kafka topic name (1-249 of letters, digits, ".", "_", "-")'),
  partition: z.number({ error: 'is required' }).int('must be an integer').min(0, 'must be >= 0'),
});

const heartbeatSchema = z.object({
  instanceId,
  /** When given, must match the instance's agent: catches a runner reusing another agent's id. */
  agent: z.string().optional(),
  inFlight: z.number().int('must be an integer').min(0, 'must be >= 0').default(0),
  partitions: z.array(partition).max(10_000, 'must have at most 10000 entries').default([]),
});

export type RegisterInstanceRequest = z.input<typeof registerSchema>;
export type HeartbeatRequest = z.input<typeof heartbeatSchema>;

function parse<S extends z.ZodType>(schema: S, raw: unknown, context: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(violationsOf(parsed.error), context);
  return parsed.data;
}

export const parseRegisterInstance = (raw: unknown) => parse(registerSchema, raw, 'instance registration');
export const parseHeartbeat = (raw: unknown) => parse(heartbeatSchema, raw, 'heartbeat');
export const parseInstanceId = (raw: unknown) => parse(z.object({ instanceId }), raw, 'request').instanceId;
