import type { Producer } from 'kafkajs';

/**
 * Initialises a connected transactional producer's transactional id now, fencing every earlier
 * holder of it. kafkajs' `connect()` does not do this: it initialises only an idempotent
 * producer id, and the transactional id's InitProducerId (epoch bump; the previous holder's open
 * transaction aborted, or a commit it already sent waited out) runs lazily in the first
 * `transaction()`. Anything that must happen after fencing — reading the committed offset a new
 * partition owner starts from — must await this first. An empty transaction is aborted without
 * a request (kafkajs sends EndTxn only when partitions or offsets were added).
 */
export async function fenceTransactionalId(producer: Producer): Promise<void> {
  const txn = await producer.transaction();
  await txn.abort();
}
