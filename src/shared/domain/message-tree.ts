/** A message as a node of a conversation tree: regenerations and edits are siblings. */
export interface TreeNode {
  id: string;
  parentId: string | null;
}

export interface BranchStep<T extends TreeNode> {
  message: T;
  /** Siblings (regenerations, edits) of this message, and its place among them. */
  siblings: T[];
  index: number;
}

/** Messages by parent id (null: the first messages), in the order given. */
export function childrenByParent<T extends TreeNode>(messages: readonly T[]): Map<string | null, T[]> {
  const children = new Map<string | null, T[]>();
  for (const m of messages) {
    const list = children.get(m.parentId);
    if (list) list.push(m);
    else children.set(m.parentId, [m]);
  }
  return children;
}

/**
 * The branch of a conversation that is shown: from the root, at each step the sibling chosen in
 * `choices` (keyed by parent id, 'root' for the first message), else the latest, and so on down.
 */
export function visibleBranch<T extends TreeNode>(
  messages: readonly T[],
  choices: Readonly<Record<string, string>> = {},
): BranchStep<T>[] {
  const children = childrenByParent(messages);
  const steps: BranchStep<T>[] = [];
  let parent: string | null = null;
  for (;;) {
    const siblings: T[] = children.get(parent) ?? [];
    if (siblings.length === 0) break;
    const chosenId: string | undefined = choices[parent ?? 'root'];
    const index = Math.max(0, chosenId ? siblings.findIndex((s) => s.id === chosenId) : siblings.length - 1);
    const message = siblings[index] ?? siblings[siblings.length - 1]!;
    steps.push({ message, siblings, index });
    parent = message.id;
  }
  return steps;
}
