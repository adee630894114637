import { Agent, agent, Workflow, z } from '@weaver/sdk';

/** The topic the shop's checkout service already writes to; Weaver does not own or rename it. */
export const ORDERS_TOPIC = 'shop.orders.created';

const Order = z.object({ orderId: z.string().min(1), items: z.array(z.object({ sku: z.string(), qty: z.number().int().positive(), priceUsd: z.number().nonnegative() })).min(1) });
const Confirmation = z.object({ orderId: z.string(), totalUsd: z.number(), message: z.string() });

/** Each record on the topic is one run (exactly once); the record's JSON value is the input. */
@agent({ name: 'order-confirmer', requires: ['order-intake.requested'], publishes: ['order.confirmed'], input: Order, output: Confirmation })
export class OrderConfirmer extends Agent<z.infer<typeof Order>> {
  async process({ orderId, items }: z.infer<typeof Order>) {
    const totalUsd = Math.round(items.reduce((sum, i) => sum + i.qty * i.priceUsd, 0) * 100) / 100;
    const { text } = await this.llm.generate({ system: 'Write a one-line order confirmation.', prompt: `order ${orderId}, ${items.length} items, ${totalUsd} USD` });
    return { orderId, totalUsd, message: text };
  }
}

export const orderIntake = new Workflow('order-intake').addAgents(OrderConfirmer).setTrigger(`kafka:${ORDERS_TOPIC}`);

export default [orderIntake];
