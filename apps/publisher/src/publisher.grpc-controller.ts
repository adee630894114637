import type { Metadata } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { publisher } from '@weaver/contracts';
import { ResultPublisher } from '@weaver/publisher-core';
import { tenantOf } from '@weaver/service-kit';

/**
 * weaver.publisher.v1.PublisherService. Internal: agent runners put results (GRPC_ACCESS_RULES,
 * mutual TLS); reads are also gated by the capability token. The tenant is the call's
 * authenticated tenant (tenantOf), never the request's tenant_id.
 */
@Controller()
@publisher.PublisherServiceControllerMethods()
export class PublisherGrpcController implements publisher.PublisherServiceController {
  constructor(private readonly results: ResultPublisher) {}

  async putResult(req: publisher.PutResultRequest, metadata?: Metadata): Promise<publisher.PutResultResponse> {
    const { ref, created } = await this.results.put({
      tenantId: tenantOf(metadata),
      runId: req.runId,
      step: req.step,
      contentType: req.contentType,
      data: req.data,
      classification: req.classification,
      subjectId: req.subjectId,
    });
    return { ref, created };
  }

  async getResult(req: publisher.GetResultRequest, metadata?: Metadata): Promise<publisher.GetResultResponse> {
    const { data, ref } = await this.results.get({ tenantId: tenantOf(metadata), uri: req.uri, capabilityToken: req.capabilityToken });
    return { data, contentType: ref.contentType, ref };
  }
}
