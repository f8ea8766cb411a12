import type { RouteOutput } from '../../../../shared/contract';
import { visibleBranch, type BranchStep } from '../../../../shared/domain/message-tree';

export type ChatMessage = RouteOutput<'chats.messages'>[number];

export type ThreadStep = BranchStep<ChatMessage>;

/** The conversation as shown: the chosen sibling at each step (the latest unless the user picked another). */
export const visibleThread = (messages: ChatMessage[], choices: Record<string, string>): ThreadStep[] =>
  visibleBranch(messages, choices);

/** The branch choices that put `messageId` on screen (a search hit in an older version, say). */
export function choicesShowing(messages: ChatMessage[], messageId: string): Record<string, string> {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const choices: Record<string, string> = {};
  for (let m = byId.get(messageId); m; m = m.parentId ? byId.get(m.parentId) : undefined)
    choices[m.parentId ?? 'root'] = m.id;
  return choices;
}
