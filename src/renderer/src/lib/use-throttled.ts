import { useEffect, useRef, useState } from 'react';

/** `value`, updated at most every `ms` (the latest always lands): keeps a fast stream from re-rendering per token. */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (ms <= 0) {
      setShown(value);
      return;
    }
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      last.current = performance.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return ms <= 0 ? value : shown;
}
