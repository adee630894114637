import { Agent, agent, Workflow, z } from '@weaver/sdk';

const Signup = z.object({ email: z.string().email(), plan: z.enum(['free', 'team', 'enterprise']), seats: z.number().int().positive() });
const Account = Signup.extend({ accountId: z.string() });
const Failure = Account.extend({ reason: z.string() });
const Done = z.object({ accountId: z.string(), outcome: z.enum(['welcomed', 'rolled-back']), detail: z.string() });

/** Stand-ins for the systems a saga touches (a directory and a provisioning API): they outlive the steps. */
export const directory = new Map<string, { email: string }>();
export const SEAT_LIMIT: Record<z.infer<typeof Signup>['plan'], number> = { free: 1, team: 50, enterprise: 5_000 };

@agent({ name: 'account-creator', requires: ['onboarding-saga.requested'], publishes: ['account.created'], input: Signup, output: Account })
export class AccountCreator extends Agent<z.infer<typeof Signup>> {
  async process(signup: z.infer<typeof Signup>) {
    // Derived from the run: a retried step creates the same account, not a second one.
    const accountId = `acct-${this.event.runId.slice(0, 8)}`;
    directory.set(accountId, { email: signup.email });
    return { ...signup, accountId };
  }
}

/**
 * A business failure is not an exception: retrying cannot fix "too many seats", so the step
 * succeeds and publishes the failure as an event, which the compensating agent consumes.
 */
@agent({ name: 'workspace-provisioner', requires: ['account.created'], publishes: ['workspace.ready', 'provisioning.failed'], input: Account })
export class WorkspaceProvisioner extends Agent<z.infer<typeof Account>> {
  async process(account: z.infer<typeof Account>) {
    if (account.seats > SEAT_LIMIT[account.plan]) return this.publish('provisioning.failed', { ...account, reason: `${account.seats} seats exceed the ${account.plan} plan's ${SEAT_LIMIT[account.plan]}` });
    return this.publish('workspace.ready', account);
  }
}

@agent({ name: 'welcome-mailer', requires: ['workspace.ready'], publishes: ['onboarding.done'], input: Account, output: Done })
export class WelcomeMailer extends Agent<z.infer<typeof Account>> {
  async process({ accountId, email }: z.infer<typeof Account>) {
    const { text } = await this.llm.generate({ system: 'Write a short welcome e-mail.', prompt: email });
    return { accountId, outcome: 'welcomed' as const, detail: text };
  }
}

/** The compensation: undoes what the earlier step did, so the saga leaves nothing half-made. */
@agent({ name: 'account-rollback', requires: ['provisioning.failed'], publishes: ['onboarding.rolled-back'], input: Failure, output: Done })
export class AccountRollback extends Agent<z.infer<typeof Failure>> {
  async process({ accountId, reason }: z.infer<typeof Failure>) {
    directory.delete(accountId);
    return { accountId, outcome: 'rolled-back' as const, detail: reason };
  }
}

export const onboardingSaga = new Workflow('onboarding-saga').addAgents(AccountCreator, WorkspaceProvisioner, WelcomeMailer, AccountRollback);

export default [onboardingSaga];
