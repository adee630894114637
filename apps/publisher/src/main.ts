/**
 * The publisher service: step results over gRPC (weaver.publisher.v1.PublisherService).
 * node -r @swc-node/register apps/publisher/src/main.ts
 */
import './tracing';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@weaver/contracts';
import { bootstrapService } from '@weaver/service-kit';

import { publisherConfigSchema } from './publisher.config';
import { PublisherModule } from './publisher.module';

void bootstrapService({ service: 'publisher', module: PublisherModule, configSchema: publisherConfigSchema, grpc: [GRPC_SERVICES.publisher] });
