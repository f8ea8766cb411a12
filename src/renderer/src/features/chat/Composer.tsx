import { Send, Square } from 'lucide-react';
import type { Ref } from 'react';
import { Button } from '../../components/ui';

/** The message box: Enter sends, Shift+Enter breaks the line; while a reply streams, Stop. */
export function Composer({
  ref,
  value,
  onChange,
  onSubmit,
  streaming,
  onStop,
}: {
  ref: Ref<HTMLTextAreaElement>;
  value: string;
  onChange: (value: string) => void;
  onSubmit: () => void;
  streaming: boolean;
  onStop: () => void;
}): React.JSX.Element {
  return (
    <form
      className="mx-auto flex w-full max-w-3xl gap-2 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <textarea
        ref={ref}
        aria-label="Message"
        // The window opens here: typing starts a chat, no click needed.
        autoFocus
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            onSubmit();
          }
        }}
        rows={2}
        placeholder="Message (Enter to send, Shift+Enter for a new line)"
        className="flex-1 resize-none rounded-xl border border-stone-300 bg-white px-3 py-2 text-sm dark:border-stone-700 dark:bg-stone-950"
      />
      {streaming ? (
        <Button
          variant="secondary"
          onClick={onStop}
          className="flex items-center gap-1.5"
          aria-label="Stop"
          title="Stop (Esc)"
        >
          <Square className="size-4" aria-hidden /> Stop
        </Button>
      ) : (
        <Button
          type="submit"
          disabled={!value.trim()}
          className="flex items-center gap-1.5"
          aria-label="Send"
        >
          <Send className="size-4" aria-hidden /> Send
        </Button>
      )}
    </form>
  );
}
