import { Check, Copy } from 'lucide-react';
import { useState } from 'react';

/** Copies its text, and says so for a moment. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }): React.JSX.Element {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      className="flex items-center gap-1 rounded px-1.5 py-0.5 text-xs hover:bg-stone-200 dark:hover:bg-stone-700"
      onClick={() => {
        void navigator.clipboard.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? <Check className="size-3" aria-hidden /> : <Copy className="size-3" aria-hidden />}
      {copied ? 'Copied' : label === 'Copy' ? 'Copy' : null}
    </button>
  );
}
