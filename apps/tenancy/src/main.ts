/**
 * The tenancy service: tenants and API keys over gRPC (weaver.tenancy.v1.TenancyService).
 * node -r @swc-node/register apps/tenancy/src/main.ts
 */
import 'reflect-metadata';
import { GRPC_SERVICES } from '@weaver/contracts';
import { bootstrapService } from '@weaver/service-kit';

import { tenancyConfigSchema } from './tenancy.config';
import { TenancyModule } from './tenancy.module';

void bootstrapService({ service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, grpc: [GRPC_SERVICES.tenancy] });
