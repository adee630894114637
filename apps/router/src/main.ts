/**
 * The router service: the model gateway over gRPC (weaver.router.v1.RouterService).
 * node -r @swc-node/register apps/router/src/main.ts
 */
import './tracing';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@weaver/contracts';
import { bootstrapService } from '@weaver/service-kit';

import { routerConfigSchema } from './router.config';
import { RouterModule } from './router.module';

void bootstrapService({ service: 'router', module: RouterModule, configSchema: routerConfigSchema, grpc: [GRPC_SERVICES.router] });
