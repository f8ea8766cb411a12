import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { MessageItem, type MessageActions } from './MessageItem';
import type { ThreadStep } from './thread';

/**
 * The visible branch of a conversation, virtualized: a thread of thousands of messages mounts only
 * what is on screen. It follows the bottom while a reply streams, unless the user scrolled up.
 */
export function Thread({
  conversationId,
  steps,
  actions,
}: {
  conversationId: string;
  steps: ThreadStep[];
  actions: MessageActions;
}): React.JSX.Element {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const lastTop = useRef(0);
  const virtualizer = useVirtualizer({
    count: steps.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 96,
    overscan: 6,
    getItemKey: (i) => steps[i]!.message.id,
  });
  const busy = steps.some((s) => s.message.status === 'streaming');
  const last = steps.at(-1)?.message;

  // Opening a conversation starts at its end (only then: later growth is the effect below).
  useLayoutEffect(() => {
    pinned.current = true;
    if (steps.length > 0) virtualizer.scrollToIndex(steps.length - 1, { align: 'end' });
  }, [conversationId]);

  // Follows the end while pinned: new tokens, and items growing once measured.
  const totalSize = virtualizer.getTotalSize();
  useEffect(() => {
    const el = scroller.current;
    if (pinned.current && el) el.scrollTop = el.scrollHeight;
  }, [totalSize, steps.length, last?.content, last?.thought]);

  return (
    <div
      ref={scroller}
      className="flex-1 overflow-y-auto px-6"
      data-testid="thread"
      onScroll={(e) => {
        // Only the user scrolling up unpins; our own scrolls and growing content move down.
        const el = e.currentTarget;
        const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        if (atEnd) pinned.current = true;
        else if (el.scrollTop < lastTop.current) pinned.current = false;
        lastTop.current = el.scrollTop;
      }}
    >
      <div className="relative mx-auto w-full max-w-3xl" style={{ height: totalSize }}>
        {virtualizer.getVirtualItems().map((item) => {
          const step = steps[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="absolute left-0 top-0 w-full py-1.5"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <MessageItem
                message={step.message}
                siblings={step.siblings}
                index={step.index}
                isLast={item.index === steps.length - 1}
                busy={busy}
                actions={actions}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
