/**
 * The gateway: the edge of Weaver. REST (docs/api.md) + SSE run streams + gRPC GatewayService;
 * API keys resolve to tenants through the tenancy service; runs start by writing a trigger.
 * SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register apps/gateway/src/main.ts
 */
import './tracing';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@weaver/contracts';
import { bootstrapService } from '@weaver/service-kit';
import { gatewayConfigSchema } from './gateway.config';
import { GatewayModule } from './gateway.module';

void bootstrapService({ service: 'gateway', module: GatewayModule, configSchema: gatewayConfigSchema, grpc: [GRPC_SERVICES.gateway, GRPC_SERVICES.runAdmin, GRPC_SERVICES.gatewayAdmin], clientFacingGrpc: true });
