import { Controller } from '@nestjs/common';
import { publisher } from '@weaver/contracts';
import { ResultPublisher } from '@weaver/publisher-core';

/**
 * weaver.publisher.v1.PublisherService. Internal: agent runners put results over the service
 * network; reads are gated by the capability token, not by the caller.
 */
@Controller()
@publisher.PublisherServiceControllerMethods()
export class PublisherGrpcController implements publisher.PublisherServiceController {
  constructor(private readonly results: ResultPublisher) {}

  async putResult(req: publisher.PutResultRequest): Promise<publisher.PutResultResponse> {
    const { ref, created } = await this.results.put({
      tenantId: req.tenantId,
      runId: req.runId,
      step: req.step,
      contentType: req.contentType,
      data: req.data,
      classification: req.classification,
      subjectId: req.subjectId,
    });
    return { ref, created };
  }

  async getResult(req: publisher.GetResultRequest): Promise<publisher.GetResultResponse> {
    const { data, ref } = await this.results.get({ tenantId: req.tenantId, uri: req.uri, capabilityToken: req.capabilityToken });
    return { data, contentType: ref.contentType, ref };
  }
}
