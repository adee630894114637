import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GRPC_SERVICES, PROTO_ROOT } from './index';

describe('GRPC_SERVICES', () => {
  it.each(Object.entries(GRPC_SERVICES))('%s names a service that proto-loader finds', (_key, svc) => {
    const file = join(PROTO_ROOT, svc.protoFile);
    expect(existsSync(file)).toBe(true);

    const definition = protoLoader.loadSync(file, { includeDirs: [PROTO_ROOT] });

    expect(definition[`${svc.package}.${svc.serviceName}`]).toBeDefined();
  });
});
