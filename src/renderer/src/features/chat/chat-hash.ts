/** The address of a conversation, or of a new chat (not stored until its first message). */
export const chatHash = (conversationId: string | null): string =>
  conversationId ? `#/chat/${encodeURIComponent(conversationId)}` : '#/chat';

/** Shows a conversation, or a new chat; the address keeps it across a reload. */
export function goToChat(conversationId: string | null): void {
  window.location.hash = chatHash(conversationId);
}
