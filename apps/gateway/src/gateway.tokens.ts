export const GATEWAY_KAFKA = Symbol('gateway.kafka');
