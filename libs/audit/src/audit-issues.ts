/** What a verification found wrong, naming the entry (seq) or checkpoint (tree size) involved. */
export type AuditCheck = 'format' | 'signature' | 'sequence' | 'moved' | 'modified' | 'chain' | 'inclusion' | 'root' | 'consistency';

export interface AuditIssue {
  check: AuditCheck;
  /** The entry concerned, where one is. */
  seq?: number;
  /** The checkpoint concerned, where one is. */
  treeSize?: number;
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  issues: AuditIssue[];
  /** What was checked, for the report. */
  entries: number;
  checkpoints: number;
  keyIds: string[];
}

/** One line per issue, the form the CLI prints. */
export function describeIssue(i: AuditIssue): string {
  const where = i.seq !== undefined ? `seq ${i.seq}` : i.treeSize !== undefined ? `checkpoint ${i.treeSize}` : 'bundle';
  return `${where}: ${i.check}: ${i.message}`;
}
