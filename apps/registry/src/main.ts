/**
 * The registry service: agent definitions, instances and discovery over gRPC
 * (weaver.registry.v1.RegistryService).
 * node -r @swc-node/register apps/registry/src/main.ts
 */
import './tracing';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@weaver/contracts';
import { bootstrapService } from '@weaver/service-kit';

import { registryConfigSchema } from './registry.config';
import { RegistryModule } from './registry.module';

void bootstrapService({ service: 'registry', module: RegistryModule, configSchema: registryConfigSchema, grpc: [GRPC_SERVICES.registry] });
