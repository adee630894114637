import { randomUUID } from 'node:crypto';
import { loadConfig, z } from '@weaver/config';
import { httpStatusOf } from '@weaver/errors';
import { decodeDirectoryRecord, encodeDirectoryRecord, type DirectoryRecord } from './directory-record';
import { TenantInOtherRegionError, regionConfigFields, servingRegionOf } from './region';

describe('regions', () => {
  it('reads WEAVER_REGION and WEAVER_REGION_PEERS, refusing names that cannot be MM2 aliases', () => {
    const schema = z.object(regionConfigFields);
    expect(loadConfig(schema, { WEAVER_REGION: 'eu-west', WEAVER_REGION_PEERS: 'us-east, ap-south' })).toEqual({ WEAVER_REGION: 'eu-west', WEAVER_REGION_PEERS: ['us-east', 'ap-south'] });
    expect(loadConfig(schema, {})).toEqual({ WEAVER_REGION_PEERS: [] });
    expect(() => loadConfig(schema, { WEAVER_REGION: 'eu.west' })).toThrow(/WEAVER_REGION/);
    expect(() => loadConfig(schema, { WEAVER_REGION: 'a', WEAVER_REGION_PEERS: 'B' })).toThrow(/WEAVER_REGION_PEERS/);
  });

  it('refuses a tenant of another region with its home region in message and details', () => {
    const error = new TenantInOtherRegionError('t1', 'a', 'a', 'b');
    expect(httpStatusOf(error.code)).toBe(412);
    expect(error.message).toBe('tenant t1 is served by its home region "a", not by this region "b"; send its requests to region "a"');
    expect(new TenantInOtherRegionError('t1', 'a', 'c', 'b').message).toContain('region "c" (home region "a", failed over)');
    expect(error.details).toMatchObject({ reason: 'TENANT_IN_OTHER_REGION', homeRegion: 'a', servedBy: 'a' });
  });

  it('serves pre-region rows (NULL columns) in this region', () => {
    expect(servingRegionOf({ homeRegion: null, servedBy: null }, 'b')).toBe('b');
    expect(servingRegionOf({ homeRegion: 'a', servedBy: null }, 'b')).toBe('a');
    expect(servingRegionOf({ homeRegion: 'a', servedBy: 'b' }, 'b')).toBe('b');
  });

  it('round-trips a directory record and rejects anything that is not one', () => {
    const record: DirectoryRecord = {
      v: 1, tenantId: randomUUID(), name: 'Acme', tier: 'standard', homeRegion: 'a', servedBy: 'a', servingEpoch: 0, createdAt: new Date().toISOString(),
      keys: [{ keyId: randomUUID(), name: 'default', prefix: 'wv_abcd', keyHash: 'a'.repeat(64), roles: ['runner'], revoked: false }],
    };
    expect(decodeDirectoryRecord(encodeDirectoryRecord(record))).toEqual(record);
    expect(() => decodeDirectoryRecord(Buffer.from('nope'))).toThrow(/must be JSON/);
    expect(() => decodeDirectoryRecord(Buffer.from(JSON.stringify({ ...record, homeRegion: 'A.B' })))).toThrow(/directoryRecord.homeRegion/);
  });
});
