import { useEffect } from 'react';
import { useLatestEvent, useRoute } from './hooks';

/** Applies the theme setting: light, dark, or whatever the OS prefers (live). */
export function useTheme(): void {
  const settings = useRoute('settings.get');
  const changed = useLatestEvent('settings.changed');
  const theme = changed?.theme ?? settings.data?.theme ?? 'system';
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = (): void => {
      document.documentElement.classList.toggle(
        'dark',
        theme === 'dark' || (theme === 'system' && media.matches),
      );
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [theme]);
}
