import { Controller } from '@nestjs/common';
import { registry } from '@weaver/contracts';
import {
  AgentCatalog,
  AgentDiscovery,
  definitionFromProto,
  definitionToProto,
  healthToProto,
  InstanceDirectory,
  instanceToProto,
  optionalText,
  registeredAgentToProto,
  reportedServerFromProto,
  serverToProto,
  ToolCatalog,
} from '@weaver/registry-core';

/**
 * weaver.registry.v1.RegistryService: translation between wire messages and the registry
 * domain only. Internal: called by the gateway and agent runners over the service network.
 */
@Controller()
@registry.RegistryServiceControllerMethods()
export class RegistryGrpcController implements registry.RegistryServiceController {
  constructor(
    private readonly catalog: AgentCatalog,
    private readonly directory: InstanceDirectory,
    private readonly discovery: AgentDiscovery,
    private readonly tools: ToolCatalog,
  ) {}

  async registerAgent(req: registry.RegisterAgentRequest): Promise<registry.RegisterAgentResponse> {
    const { definition, created } = await this.catalog.register(definitionFromProto(req.definition));
    return { name: definition.name, version: definition.version, accepted: true, created };
  }

  async registerInstance(req: registry.RegisterInstanceRequest): Promise<registry.RegisterInstanceResponse> {
    const instance = await this.directory.register({
      agent: req.agent,
      agentVersion: optionalText(req.agentVersion),
      instanceId: optionalText(req.instanceId),
      host: req.host,
      pid: req.pid,
    });
    return { instanceId: instance.instanceId, agentVersion: instance.agentVersion };
  }

  async heartbeat(req: registry.HeartbeatRequest): Promise<registry.HeartbeatResponse> {
    const outcome = await this.directory.heartbeat({
      instanceId: req.instanceId,
      agent: optionalText(req.agent),
      inFlight: req.inFlight,
      partitions: req.assignedPartitions,
    });
    return { health: healthToProto(outcome.health), drain: outcome.drain };
  }

  async deregister(req: registry.DeregisterRequest): Promise<registry.DeregisterResponse> {
    await this.directory.deregister(req.instanceId);
    return {};
  }

  async drainInstance(req: registry.DrainInstanceRequest): Promise<registry.DrainInstanceResponse> {
    return { instance: instanceToProto(await this.directory.drain(req.instanceId)) };
  }

  async listAgents(req: registry.ListAgentsRequest): Promise<registry.ListAgentsResponse> {
    const agents = await this.discovery.listAgents({ capability: optionalText(req.capability), requiresEvent: optionalText(req.requiresEvent) });
    return { agents: agents.map(registeredAgentToProto) };
  }

  async listInstances(req: registry.ListInstancesRequest): Promise<registry.ListInstancesResponse> {
    const agent = optionalText(req.agent);
    const instances = await this.directory.list(agent === undefined ? {} : { agents: [agent] });
    return { instances: instances.map(instanceToProto) };
  }

  async whatRunsNext(req: registry.WhatRunsNextRequest): Promise<registry.WhatRunsNextResponse> {
    return { agents: (await this.discovery.whatRunsNext(req.eventType)).map(definitionToProto) };
  }

  async reportTools(req: registry.ReportToolsRequest): Promise<registry.ReportToolsResponse> {
    return { servers: await this.tools.report(req.runnerId, req.servers.map(reportedServerFromProto)) };
  }

  async listTools(): Promise<registry.ListToolsResponse> {
    return { servers: (await this.tools.list()).map(serverToProto) };
  }
}
