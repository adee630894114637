/**
 * The tenancy service: tenants and API keys over gRPC (weaver.tenancy.v1.TenancyService), and
 * the audit trail's chainer and weaver.audit.v1.AuditService (with AUDIT_ENABLED), and
 * tenants' access policies (weaver.policy.v1.PolicyService).
 * node -r @swc-node/register apps/tenancy/src/main.ts
 */
import './tracing';
import 'reflect-metadata';
import { GRPC_SERVICES } from '@weaver/contracts';
import { bootstrapService } from '@weaver/service-kit';

import { tenancyConfigSchema } from './tenancy.config';
import { TenancyModule } from './tenancy.module';

void bootstrapService({ service: 'tenancy', module: TenancyModule, configSchema: tenancyConfigSchema, grpc: [GRPC_SERVICES.tenancy, GRPC_SERVICES.audit, GRPC_SERVICES.policy] });
