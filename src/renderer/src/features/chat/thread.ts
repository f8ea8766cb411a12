import type { RouteOutput } from '../../../../shared/contract';

export type ChatMessage = RouteOutput<'chats.messages'>[number];

export interface ThreadStep {
  message: ChatMessage;
  /** Siblings (regenerations, edits) of this message, and its place among them. */
  siblings: ChatMessage[];
  index: number;
}

/**
 * The conversation as shown: from the root, at each step the chosen sibling (the latest unless
 * the user picked another), then its latest child, and so on.
 */
export function visibleThread(messages: ChatMessage[], choices: Record<string, string>): ThreadStep[] {
  const children = new Map<string | null, ChatMessage[]>();
  for (const m of messages) children.set(m.parentId, [...(children.get(m.parentId) ?? []), m]);
  const steps: ThreadStep[] = [];
  let parent: string | null = null;
  for (;;) {
    const siblings: ChatMessage[] = children.get(parent) ?? [];
    if (siblings.length === 0) break;
    const chosenId: string | undefined = choices[parent ?? 'root'];
    const index = Math.max(0, chosenId ? siblings.findIndex((s) => s.id === chosenId) : siblings.length - 1);
    const message = siblings[index] ?? siblings[siblings.length - 1]!;
    steps.push({ message, siblings, index });
    parent = message.id;
  }
  return steps;
}

/** The branch choices that put `messageId` on screen (a search hit in an older version, say). */
export function choicesShowing(messages: ChatMessage[], messageId: string): Record<string, string> {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const choices: Record<string, string> = {};
  for (let m = byId.get(messageId); m; m = m.parentId ? byId.get(m.parentId) : undefined)
    choices[m.parentId ?? 'root'] = m.id;
  return choices;
}
