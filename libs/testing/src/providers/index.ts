export * from './wire-fault';
export * from './wire-reply';
export * from './wire-server';
export * from './openai-wire-server';
export * from './anthropic-wire-server';
export * from './tgi-wire-server';
export * from './azure-openai-wire-server';
export * from './ollama-wire-server';
